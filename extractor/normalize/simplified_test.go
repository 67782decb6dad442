package normalize

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-creed/sat"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/govreport/govreport/pkg/report"
)

func TestSimplified(t *testing.T) {
	tests := []struct{ in, want string }{
		{"宿城區王官集鎮人民政府", "宿城区王官集镇人民政府"},
		{"5.要求行政機關確認或重新出具已獲取信息", "5.要求行政机关确认或重新出具已获取信息"},
		{"政府信息公開行政復議、行政訴訟情況", "政府信息公开行政复议、行政诉讼情况"},
		{"發布日期：2021年1月25日", "发布日期：2021年1月25日"},
		// Simplified text is left alone, including characters that are also
		// traditional forms in some pairs (覆 in 反覆, 干, 后, 出, 案).
		{"7.属于行政执法案卷，覆盖，干部，后来，出版", "7.属于行政执法案卷，覆盖，干部，后来，出版"},
		{"", ""},
		{"plain ASCII 123", "plain ASCII 123"},
		// Characters outside the CJK blocks pass through, invalid UTF-8 included.
		{"😀開\xff", "😀开\uFFFD"},
	}
	for _, tt := range tests {
		if got := Simplified(tt.in); got != tt.want {
			t.Errorf("Simplified(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if HasTraditional(tt.in) != (Simplified(tt.in) != tt.in) {
			t.Errorf("HasTraditional(%q) = %v", tt.in, HasTraditional(tt.in))
		}
	}
}

// traditionalLabels are the labels of both templates as traditional-script
// documents print them (seed 001 and portals' 繁體 versions), beside the simplified
// label they must read as. Written by hand, not produced by a converter.
var traditionalLabels = []struct{ trad, simp string }{
	// Section 三, rows.
	{"一、本年新收政府信息公開申請數量", report.RowLabels[report.RowNewReceived]},
	{"二、上年結轉政府信息公開申請數量", report.RowLabels[report.RowCarriedOver]},
	{"三、本年度辦理結果", report.RowGroupLabels["outcomes"]},
	{"（一）予以公開", report.RowLabels[report.RowGranted]},
	{"（二）部分公開（區分處理的，只計這一情形，不計其他情形）", report.RowLabels[report.RowPartiallyGranted]},
	{"（三）不予公開", report.RowGroupLabels["withheld"]},
	{"1.屬於國家秘密", report.RowLabels[report.RowWithheldStateSecret]},
	{"1.屬于國家秘密", report.RowLabels[report.RowWithheldStateSecret]},
	{"2.其他法律行政法規禁止公開", report.RowLabels[report.RowWithheldProhibitedByLaw]},
	{"3.危及“三安全一穩定”", report.RowLabels[report.RowWithheldSecurityStability]},
	{"4.保護第三方合法權益", report.RowLabels[report.RowWithheldThirdPartyRights]},
	{"5.屬於三類內部事務信息", report.RowLabels[report.RowWithheldInternalAffairs]},
	{"6.屬於四類過程性信息", report.RowLabels[report.RowWithheldProcessInfo]},
	{"7.屬於行政執法案卷", report.RowLabels[report.RowWithheldEnforcementFiles]},
	{"8.屬於行政查詢事項", report.RowLabels[report.RowWithheldQueryMatters]},
	{"（四）無法提供", report.RowGroupLabels["unable"]},
	{"1.本機關不掌握相關政府信息", report.RowLabels[report.RowUnableNotHeld]},
	{"2.沒有現成信息需要另行製作", report.RowLabels[report.RowUnableNeedsCreation]},
	{"3.補正後申請內容仍不明確", report.RowLabels[report.RowUnableUnclearAfterCorrection]},
	{"（五）不予處理", report.RowGroupLabels["not_processed"]},
	{"1.信訪舉報投訴類申請", report.RowLabels[report.RowNotProcessedPetitionComplaint]},
	{"2.重複申請", report.RowLabels[report.RowNotProcessedDuplicate]},
	{"2.重復申請", report.RowLabels[report.RowNotProcessedDuplicate]},
	{"3.要求提供公開出版物", report.RowLabels[report.RowNotProcessedPublication]},
	{"4.無正當理由大量反復申請", report.RowLabels[report.RowNotProcessedMassRepetitive]},
	{"5.要求行政機關確認或重新出具已獲取信息", report.RowLabels[report.RowNotProcessedConfirmReissue]},
	{"（六）其他處理", report.RowLabels[report.RowOther]},
	{"1.申請人無正當理由逾期不補正、行政機關不再處理其政府信息公開申請", report.RowLabels[report.RowOtherNoCorrection]},
	{"2.申請人逾期未按收費通知要求繳納費用、行政機關不再處理其政府信息公開申請", report.RowLabels[report.RowOtherNoFeePaid]},
	{"3.其他", report.RowLabels[report.RowOtherOther]},
	{"（七）總計", report.RowLabels[report.RowTotal]},
	{"四、結轉下年度繼續辦理", report.RowLabels[report.RowCarriedForward]},
	{"（本列數據的勾稽關係為：第一項加第二項之和，等於第三項加第四項之和）", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"},
	// Section 三, applicant columns.
	{"申請人情況", "申请人情况"},
	{"自然人", "自然人"},
	{"法人或其他組織", "法人或其他组织"},
	{"商業企業", "商业企业"},
	{"科研機構", "科研机构"},
	{"社會公益組織", "社会公益组织"},
	{"法律服務機構", "法律服务机构"},
	{"其他", "其他"},
	{"總計", report.ColLabels[report.ColTotal]},
	// Section 四.
	{"行政復議", report.ReviewGroupLabels[report.GroupReview]},
	{"行政訴訟", "行政诉讼"},
	{"未經復議直接起訴", "未经复议直接起诉"},
	{"復議後起訴", "复议后起诉"},
	{"復議后起訴", "复议后起诉"},
	{"結果維持", report.OutcomeLabels[report.OutcomeUpheld]},
	{"結果糾正", report.OutcomeLabels[report.OutcomeCorrected]},
	{"其他結果", report.OutcomeLabels[report.OutcomeOther]},
	{"尚未審結", report.OutcomeLabels[report.OutcomePending]},
	// Section 二: blocks, items and metrics of both templates.
	{"第二十條第（一）項", "第二十条第（一）项"},
	{"信息內容", "信息内容"},
	{"規章", report.ItemLabels[report.ItemRegulations]},
	{"規範性文件", report.ItemLabels[report.ItemNormativeDocs]},
	{"規范性文件", report.ItemLabels[report.ItemNormativeDocs]},
	{"行政規範性文件", "行政规范性文件"},
	{"行政許可", report.ItemLabels[report.ItemLicensing]},
	{"其他對外管理服務事項", report.ItemLabels[report.ItemOtherServices]},
	{"行政處罰", report.ItemLabels[report.ItemPenalty]},
	{"行政強制", report.ItemLabels[report.ItemEnforcement]},
	{"行政事業性收費", report.ItemLabels[report.ItemFees]},
	{"政府集中採購", report.ItemLabels[report.ItemProcurement]},
	{"政府集中采購", report.ItemLabels[report.ItemProcurement]},
	{"本年新製作數量", report.MetricLabels[report.MetricNewMade]},
	{"本年新公開數量", report.MetricLabels[report.MetricNewPublished]},
	{"對外公開總數量", report.MetricLabels[report.MetricTotalPublished]},
	{"本年製發件數", report.MetricLabels[report.MetricIssued]},
	{"本年廢止件數", report.MetricLabels[report.MetricRepealed]},
	{"現行有效件數", report.MetricLabels[report.MetricInForce]},
	{"上一年項目數量", report.MetricLabels[report.MetricPrevYear]},
	{"本年增/減", report.MetricLabels[report.MetricChange]},
	{"處理決定數量", "处理决定数量"},
	{"本年處理決定數量", "本年处理决定数量"},
	{"本年收費金額（單位：萬元）", "本年收费金额（单位：万元）"},
	{"採購項目數量", "采购项目数量"},
	{"採購總金額", "采购总金额"},
	// Section headings.
	{"一、總體情況", "一、总体情况"},
	{"二、主動公開政府信息情況", "二、主动公开政府信息情况"},
	{"三、收到和處理政府信息公開申請情況", "三、收到和处理政府信息公开申请情况"},
	{"四、政府信息公開行政復議、行政訴訟情況", "四、政府信息公开行政复议、行政诉讼情况"},
	{"五、存在的主要問題及改進情況", "五、存在的主要问题及改进情况"},
	{"六、其他需要報告的事項", "六、其他需要报告的事项"},
}

// TestTraditionalTemplateLabels reads every label of both templates in traditional
// form: its key must be the simplified label's key.
func TestTraditionalTemplateLabels(t *testing.T) {
	for _, l := range traditionalLabels {
		if l.simp == "" {
			t.Fatalf("%q: no simplified label (a report label was renamed?)", l.trad)
		}
		if got, want := Key(l.trad), Key(l.simp); got != want {
			t.Errorf("Key(%q) = %q, want %q", l.trad, got, want)
		}
	}
}

// gb2312Hanzi returns the 6,763 characters of GB 2312's hanzi rows (B0–F7), the
// simplified character set.
func gb2312Hanzi(t *testing.T) []rune {
	t.Helper()
	var enc []byte
	for hi := 0xB0; hi <= 0xF7; hi++ {
		for lo := 0xA1; lo <= 0xFE; lo++ {
			enc = append(enc, byte(hi), byte(lo))
		}
	}
	dec, err := simplifiedchinese.GBK.NewDecoder().Bytes(enc)
	if err != nil {
		t.Fatal(err)
	}
	var out []rune
	for _, r := range string(dec) {
		if r != utf8.RuneError && r >= firstCJK {
			out = append(out, r)
		}
	}
	return out
}

// TestSimplifiedKeepsGB2312 holds that no simplified character is ever changed, so
// Simplified is safe on any simplified text.
func TestSimplifiedKeepsGB2312(t *testing.T) {
	hanzi := gb2312Hanzi(t)
	if len(hanzi) != 6763 {
		t.Fatalf("%d GB 2312 hanzi, want 6763", len(hanzi))
	}
	for _, r := range hanzi {
		if got := Simplified(string(r)); got != string(r) {
			t.Errorf("simplified %c changed to %s", r, got)
		}
	}
}

// TestDictionaryRange holds what table relies on: the library converts nothing
// outside the CJK blocks the table covers, and converts one character to one.
func TestDictionaryRange(t *testing.T) {
	var b strings.Builder
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if (r >= firstCJK && r <= lastCJK) || (r >= 0xD800 && r <= 0xDFFF) {
			continue
		}
		b.WriteRune(r)
	}
	in := b.String()
	if out := sat.DefaultDict().Read(in); out != in {
		t.Fatal("the dictionary converts characters outside U+3400–U+9FFF: widen the table")
	}
	n := 0
	for r := rune(firstCJK); r <= lastCJK; r++ {
		if s := Simplified(string(r)); s != string(r) {
			n++
			if again := Simplified(s); again != s {
				t.Errorf("%c → %s → %s: not idempotent", r, s, again)
			}
		}
	}
	if n < 3000 {
		t.Errorf("only %d characters converted: the dictionary was not read", n)
	}
}

func TestSimplifiedAllocations(t *testing.T) {
	s := strings.Repeat("三、收到和处理政府信息公开申请情况 123 ", 20)
	if n := testing.AllocsPerRun(100, func() { _ = Simplified(s) }); n != 0 {
		t.Errorf("Simplified of simplified text allocates %v times", n)
	}
}

// seed001 returns the traditional seed, about 7.7 KB.
func seed001(tb testing.TB) string {
	b, err := os.ReadFile("../testdata/seeds/001_f4dd133f55a6f46e.txt")
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// BenchmarkSimplified measures a 100 KB document: traditional (every label and
// sentence converted) and simplified (the check that finds nothing to convert).
func BenchmarkSimplified(b *testing.B) {
	trad := strings.Repeat(seed001(b), 13)
	simp := Simplified(trad)
	for _, bc := range []struct{ name, text string }{{"traditional", trad}, {"simplified", simp}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.text)))
			b.ReportAllocs()
			for b.Loop() {
				_ = Simplified(bc.text)
			}
		})
	}
	b.Run("library", func(b *testing.B) {
		d := sat.DefaultDict()
		b.SetBytes(int64(len(trad)))
		b.ReportAllocs()
		for b.Loop() {
			_ = d.Read(trad)
		}
	})
}
