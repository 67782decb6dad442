package dashboard

import "net/http"

// alertsText holds the alerts page's strings.
var alertsText = text{
	"alerts.title": {"预警", "Alerts"},
}

func (s *Server) alerts(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "alerts", "alerts.title", nil)
}
