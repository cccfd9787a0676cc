package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
)

func TestBusyCoursePortIsReported(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	for _, tc := range []struct {
		lang  string
		wants []string
	}{
		{"en", []string{"cannot serve the course", "already in use", "-course HOST:PORT"}},
		{"de", []string{"Der Kurs kann nicht", "schon belegt", "-course HOST:PORT"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), []string{"-api", "127.0.0.1:0", "-app", "127.0.0.1:0", "-course", ln.Addr().String(), "-data", t.TempDir(), "-lang", tc.lang}, &out, &errOut)
			if code == 0 {
				t.Fatal("exit code 0 with a busy course port")
			}
			for _, w := range append(tc.wants, ln.Addr().String()) {
				if !strings.Contains(errOut.String(), w) {
					t.Errorf("message %q lacks %q", errOut.String(), w)
				}
			}
		})
	}
}

func TestListenCourseCanBeTurnedOff(t *testing.T) {
	for _, tc := range []struct {
		addr  string
		noApp bool
	}{{"", false}, {"off", false}, {"127.0.0.1:0", true}} {
		ln, err := listenCourse(tc.addr, tc.noApp)
		if err != nil || ln != nil {
			t.Errorf("listenCourse(%q, %v) = %v, %v; want no listener", tc.addr, tc.noApp, ln, err)
		}
	}
}
