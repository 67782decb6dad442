package dashboard

import "net/http"

// pipelineText holds the pipeline page's strings.
var pipelineText = text{
	"pipeline.title": {"运行状态", "Pipeline"},
}

func (s *Server) pipeline(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "pipeline", "pipeline.title", nil)
}

func (s *Server) redrive(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "not yet", http.StatusNotImplemented)
}
