package sheet

import (
	"context"

	"github.com/govreport/govreport/extractor/bounds"
)

func newTestCounter() *bounds.Counter {
	return bounds.NewCounter(context.Background(), 1<<20, "cells over")
}
