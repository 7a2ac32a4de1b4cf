// Package progress shows a progress bar on stderr for long work, when
// stderr is a terminal (or when asked), and nothing otherwise.
package progress

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Mode is the value of --progress.
type Mode string

// The modes of --progress.
const (
	Auto   Mode = "auto"
	Always Mode = "always"
	Never  Mode = "never"
)

// ParseMode parses the value of --progress.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case Auto, Always, Never:
		return m, nil
	}
	return "", fmt.Errorf("unknown --progress %q (want auto, always or never)", s)
}

// Bar counts work done. A nil *Bar is valid and shows nothing, so callers
// never check whether progress is on.
type Bar struct {
	pb *progressbar.ProgressBar
}

// New returns a bar of total steps described by desc on w, or nil when mode
// is Never, or Auto and w is not a terminal (tty false).
func New(w io.Writer, mode Mode, tty bool, total int, desc string) *Bar {
	if mode == Never || (mode == Auto && !tty) {
		return nil
	}
	return &Bar{pb: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionSetRenderBlankState(true),
	)}
}

// Add counts n more steps done.
func (b *Bar) Add(n int) {
	if b != nil {
		_ = b.pb.Add(n) // a failed write to stderr must not fail the work
	}
}

// AddTotal raises the total by n (work found along the way).
func (b *Bar) AddTotal(n int) {
	if b != nil {
		b.pb.AddMax(n)
	}
}

// Done clears the bar.
func (b *Bar) Done() {
	if b != nil {
		_ = b.pb.Finish()
	}
}
