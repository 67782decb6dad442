package dashboard

import "net/http"

// exploreText holds the explorer's strings.
var exploreText = text{
	"explore.title": {"查询机构", "Explore bodies"},
}

func (s *Server) explore(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "explore", "explore.title", nil)
}

func (s *Server) exploreCSV(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "not yet", http.StatusNotImplemented)
}
