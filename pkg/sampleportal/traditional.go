package sampleportal

import (
	"strings"

	"github.com/govreport/govreport/pkg/report"
)

// The traditional variation prints an article in traditional characters. This is
// test data, not a converter: the table covers the characters of the template's
// labels, the section headings, the prose the generator writes and the common
// words of body names, and nothing else (other characters stay as they are, as
// they do in real documents converted by a desktop tool).
//
// Two styles occur in real reports. Most were converted character by character
// (seed 001: 屬于, 規范性文件, 采購, 勾稽關系, 重復申請 — the ambiguous 于, 范, 采, 系
// left alone, 复 always 復). Others were converted by words, as OpenCC's s2t does
// (屬於, 規範性文件, 採購, 勾稽關係, 重複申請, 製作, 反覆).

// s2t maps simplified characters to their traditional forms, character by character.
var s2t = map[rune]rune{
	'万': '萬', '与': '與', '业': '業', '严': '嚴', '个': '個', '丰': '豐', '为': '為', '举': '舉',
	'书': '書', '产': '產', '们': '們', '优': '優', '会': '會', '传': '傳', '体': '體', '关': '關',
	'内': '內', '决': '決', '况': '況', '减': '減', '准': '準', '则': '則', '办': '辦', '务': '務',
	'动': '動', '区': '區', '协': '協', '单': '單', '卫': '衛', '厅': '廳', '县': '縣', '发': '發',
	'号': '號', '后': '後', '员': '員', '围': '圍', '国': '國', '坚': '堅', '场': '場', '处': '處',
	'复': '復', '够': '夠', '学': '學', '实': '實', '审': '審', '对': '對', '导': '導', '将': '將',
	'层': '層', '属': '屬', '广': '廣', '应': '應', '废': '廢', '开': '開', '强': '強', '当': '當',
	'录': '錄', '彻': '徹', '态': '態', '总': '總', '执': '執', '护': '護', '报': '報', '据': '據',
	'数': '數', '无': '無', '时': '時', '术': '術', '机': '機', '权': '權', '条': '條', '构': '構',
	'标': '標', '检': '檢', '没': '沒', '点': '點', '监': '監', '现': '現', '电': '電', '疗': '療',
	'确': '確', '称': '稱', '稳': '穩', '类': '類', '筹': '籌', '简': '簡', '纠': '糾', '级': '級',
	'纳': '納', '组': '組', '织': '織', '经': '經', '结': '結', '绕': '繞', '统': '統', '绩': '績',
	'继': '繼', '续': '續', '维': '維', '编': '編', '缴': '繳', '网': '網', '罚': '罰', '获': '獲',
	'华': '華', '补': '補', '见': '見', '规': '規', '计': '計', '认': '認', '训': '訓', '议': '議',
	'许': '許', '讼': '訟', '设': '設', '访': '訪', '诉': '訴', '询': '詢', '详': '詳', '请': '請',
	'读': '讀', '调': '調', '财': '財', '质': '質', '贯': '貫', '费': '費', '资': '資', '购': '購',
	'较': '較', '转': '轉', '输': '輸', '运': '運', '过': '過', '这': '這', '进': '進', '问': '問',
	'阵': '陣', '项': '項', '预': '預', '领': '領', '题': '題', '额': '額', '镇': '鎮', '乡': '鄉',
	'军': '軍', '农': '農', '医': '醫', '险': '險', '门': '門', '间': '間', '长': '長', '东': '東',
	'龙': '龍', '马': '馬', '杨': '楊', '黄': '黃', '红': '紅', '双': '雙', '岭': '嶺', '营': '營',
	'岗': '崗', '湾': '灣', '桥': '橋', '庄': '莊', '宁': '寧', '辽': '遼', '苏': '蘇',
}

// wordForms are the word-level forms of the converted-by-words style, applied
// before the character table.
var wordForms = strings.NewReplacer(
	"属于", "屬於", "等于", "等於", "关于", "關於", "规范", "規範", "采购", "採購", "关系", "關係",
	"制作", "製作", "重复", "重複", "反复", "反覆",
)

// traditional converts s to traditional characters; words selects the
// converted-by-words style.
func traditional(s string, words bool) string {
	if words {
		s = wordForms.Replace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if t, ok := s2t[r]; ok {
			r = t
		}
		b.WriteRune(r)
	}
	return b.String()
}

// traditionalArticle converts every text of an article.
func traditionalArticle(blocks []block, words bool) {
	for i := range blocks {
		b := &blocks[i]
		b.text = traditional(b.text, words)
		if b.table == nil {
			continue
		}
		for _, row := range b.table.rows {
			for j := range row {
				row[j].text = traditional(row[j].text, words)
			}
		}
	}
}

// traditionalCells converts the raw text of a record's cells as the article's
// cells are converted (无 → 無, 见附件 → 見附件, 2500万 → 2500萬); values and units
// stay what they are.
func traditionalCells(rec *report.Record, words bool) {
	for _, cols := range rec.Applications {
		for k, c := range cols {
			c.Raw = traditional(c.Raw, words)
			cols[k] = c
		}
	}
	for _, outs := range rec.Review {
		for k, c := range outs {
			c.Raw = traditional(c.Raw, words)
			outs[k] = c
		}
	}
	for _, ms := range rec.Disclosure {
		for k, c := range ms {
			c.Raw = traditional(c.Raw, words)
			ms[k] = c
		}
	}
}
