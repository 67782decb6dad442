package dashboard

import "net/http"

// reportText holds the report page's strings.
var reportText = text{
	"report.title": {"年报", "Report"},
}

func (s *Server) report(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "report", "report.title", nil)
}

func (s *Server) archive(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "not yet", http.StatusNotImplemented)
}
