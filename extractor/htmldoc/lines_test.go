package htmldoc

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestLines(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{
			name: "a table flattened to tab-separated lines in a <pre> keeps its lines and tabs",
			body: "<div><p>二、主动公开政府信息情况</p><pre>第二十条第（一）项\t\t\t\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\r\n规章\t0\t<span>1</span>2\t3\n</pre><p>三、收到</p></div>",
			want: []string{"二、主动公开政府信息情况", "第二十条第（一）项", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "规章\t0\t12\t3", "三、收到"},
		},
		{
			name: "<br> inside a <pre> breaks the line",
			body: "<pre>自然人\t5<br>总计\t7</pre>",
			want: []string{"自然人\t5", "总计\t7"},
		},
		{
			name: "outside a <pre> line breaks and tabs of the source are spaces",
			body: "<p>行政\n许可\t3</p><table><tr><td>规章</td><td>0</td></tr></table>",
			want: []string{"行政 许可 3", "规章\t0"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, err := html.Parse(strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if got := lines(root); !slices.Equal(got, tt.want) {
				t.Errorf("lines:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
