package command

import (
	"errors"
	"fmt"
	"net"
	"syscall"

	"synclab/lang"
)

// PortBusyError says that a command could not serve on an address because
// another program holds the port.
type PortBusyError struct {
	Addr string
	// What was to be served there ("the REST API", "die REST-API").
	What lang.Text
	// Flag chooses another address ("-api").
	Flag string
	Err  error
}

// Say says what happened and what to do, in both languages.
func (e *PortBusyError) Say() lang.Text {
	return lang.Say("cannot serve %s on %s: the port is already in use (is another Sync Lab command or an http-server running?). Stop that program, or choose another address with %s HOST:PORT",
		"%s kann nicht auf %s laufen: der Port ist schon belegt (läuft noch ein anderer Sync-Lab-Befehl oder ein http-server?). Beende das andere Programm oder wähle mit %s HOST:PORT eine andere Adresse",
		e.What, e.Addr, e.Flag)
}

func (e *PortBusyError) Error() string { return e.Say().EN }
func (e *PortBusyError) Unwrap() error { return e.Err }

// Listen binds addr for what the flag serves, with a *PortBusyError when
// another program holds the port.
func Listen(addr string, what lang.Text, flag string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, &PortBusyError{Addr: addr, What: what, Flag: flag, Err: err}
	case err != nil:
		return nil, fmt.Errorf("listen for %s on %s: %w", what.EN, addr, err)
	}
	return ln, nil
}

// Explain returns err in language l when it is one the user can act on (a
// busy port), else err.
func Explain(err error, l string) error {
	var busy *PortBusyError
	if errors.As(err, &busy) {
		return errors.New(busy.Say().In(l))
	}
	return err
}
