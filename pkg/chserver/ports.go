package chserver

import (
	"fmt"
	"net"
)

// FreePorts returns n distinct TCP ports that are free on host right now. Another
// process may still take one before the server binds it; Start retries then, and a
// caller that fixes ports it picked (Config.TCPPort, for servers that must know each
// other's address before they start) gets ErrPortInUse and should pick again.
func FreePorts(host string, n int) ([]int, error) {
	ls := make([]net.Listener, 0, n)
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", hostPort(host, 0))
		if err != nil {
			return nil, fmt.Errorf("find a free port on %s: %w", host, err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
