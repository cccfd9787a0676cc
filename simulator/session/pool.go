package session

import (
	"context"
	"sync"
)

// Pool opens sessions ahead of time, so that a run that starts later (the
// checks' -watch after a file change) finds its sessions' backend, browser
// context and control tab ready. A pool serves one app: it opens its spare
// sessions with the configuration of its last Open.
type Pool struct {
	mu      sync.Mutex
	cfg     *Config
	spare   []*Session
	opening int
	wg      sync.WaitGroup
}

// Open returns a spare session opened for the same browser if there is
// one, else opens a new one with cfg. The caller closes it.
func (p *Pool) Open(ctx context.Context, cfg Config) (*Session, error) {
	p.mu.Lock()
	p.cfg = &cfg
	for i, s := range p.spare {
		if s.cfg.Browser == cfg.Browser {
			p.spare = append(p.spare[:i], p.spare[i+1:]...)
			p.mu.Unlock()
			s.cfg.Progress = cfg.Progress
			return s, nil
		}
	}
	p.mu.Unlock()
	return Open(ctx, cfg)
}

// Fill opens sessions in the background until n are spare, with the
// configuration of the last Open (none before the first Open). Sessions
// that fail to open are dropped: Open opens its own then.
func (p *Pool) Fill(ctx context.Context, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cfg == nil {
		return
	}
	for range n - len(p.spare) - p.opening {
		cfg := *p.cfg
		p.opening++
		p.wg.Go(func() {
			s, err := Open(ctx, cfg)
			p.mu.Lock()
			defer p.mu.Unlock()
			p.opening--
			if err != nil {
				if cfg.Logger != nil {
					cfg.Logger.Debug("session pool: could not open a spare session", "err", err)
				}
				return
			}
			if ctx.Err() != nil {
				s.Close()
				return
			}
			p.spare = append(p.spare, s)
		})
	}
}

// Spare counts the sessions opened and waiting.
func (p *Pool) Spare() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.spare)
}

// Close waits for sessions still opening and closes the spare ones.
func (p *Pool) Close() {
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.spare {
		s.Close()
	}
	p.spare = nil
}
