package normalize

import "strings"

// Simplified converts the traditional characters of the report vocabulary to their
// simplified forms, character by character. Characters outside the table are kept.
//
// MINIMAL TABLE, NOT A GENERAL CONVERTER. It holds the characters that occur in the
// template's labels, the section headings, the metadata words (发布日期, 人民政府, 街道
// 办事处, …) and seed 001. It was derived once from OpenCC's dictionaries (each pair
// checked to convert the same way with OpenCC's t2s) and deliberately leaves out
// characters that are also in use as simplified characters (覆, 案, 出, …), so applying
// it to simplified text changes nothing. Why not a library: github.com/longbridgeapp/
// opencc links a GPL-2.0 dependency (liuzl/cedar-go), registers a global -dir flag at
// init and costs ~4 ms per 7 KB; github.com/siongui/gojianfan maps the simplified 案 to
// 桉. Prose outside the vocabulary may stay traditional; labels are what matter here.
func Simplified(s string) string {
	i := strings.IndexFunc(s, isTraditional)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if v, ok := t2s[r]; ok {
			r = v
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isTraditional(r rune) bool {
	if r < 0x4E00 {
		return false
	}
	_, ok := t2s[r]
	return ok
}

// t2s maps traditional characters to simplified ones (see Simplified).
var t2s = map[rune]rune{
	'佈': '布', '來': '来', '係': '系', '個': '个', '備': '备', '傳': '传', '億': '亿', '儲': '储',
	'內': '内', '則': '则', '創': '创', '劃': '划', '動': '动', '務': '务', '區': '区', '協': '协',
	'參': '参', '員': '员', '問': '问', '單': '单', '嚴': '严', '國': '国', '圍': '围', '園': '园',
	'執': '执', '堅': '坚', '報': '报', '場': '场', '壓': '压', '夠': '够', '學': '学', '實': '实',
	'審': '审', '將': '将', '專': '专', '對': '对', '導': '导', '屆': '届', '層': '层', '屬': '属',
	'廢': '废', '廣': '广', '廳': '厅', '強': '强', '後': '后', '徑': '径', '復': '复', '態': '态',
	'應': '应', '戲': '戏', '戶': '户', '採': '采', '換': '换', '據': '据', '擴': '扩', '數': '数',
	'於': '于', '時': '时', '書': '书', '會': '会', '條': '条', '業': '业', '構': '构', '標': '标',
	'機': '机', '檔': '档', '檢': '检', '欄': '栏', '權': '权', '歡': '欢', '氣': '气', '決': '决',
	'沒': '没', '況': '况', '減': '减', '準': '准', '滿': '满', '濟': '济', '為': '为', '無': '无',
	'爲': '为', '牽': '牵', '獲': '获', '現': '现', '環': '环', '產': '产', '當': '当', '療': '疗',
	'發': '发', '監': '监', '眾': '众', '確': '确', '祕': '秘', '稅': '税', '種': '种', '穩': '稳',
	'節': '节', '範': '范', '簽': '签', '籌': '筹', '糧': '粮', '糾': '纠', '納': '纳', '級': '级',
	'細': '细', '終': '终', '組': '组', '結': '结', '絡': '络', '給': '给', '統': '统', '經': '经',
	'綜': '综', '維': '维', '網': '网', '線': '线', '編': '编', '縣': '县', '總': '总', '織': '织',
	'繞': '绕', '繳': '缴', '繼': '继', '續': '续', '罰': '罚', '習': '习', '聯': '联', '職': '职',
	'臺': '台', '與': '与', '舉': '举', '華': '华', '萬': '万', '蓋': '盖', '處': '处', '號': '号',
	'術': '术', '衛': '卫', '補': '补', '製': '制', '複': '复', '規': '规', '視': '视', '計': '计',
	'記': '记', '訟': '讼', '訪': '访', '設': '设', '許': '许', '訴': '诉', '評': '评', '詢': '询',
	'認': '认', '調': '调', '請': '请', '講': '讲', '識': '识', '議': '议', '護': '护', '讀': '读',
	'豐': '丰', '負': '负', '財': '财', '貧': '贫', '責': '责', '費': '费', '資': '资', '質': '质',
	'購': '购', '軍': '军', '輯': '辑', '輸': '输', '輿': '舆', '轉': '转', '辦': '办', '農': '农',
	'這': '这', '進': '进', '遊': '游', '運': '运', '過': '过', '選': '选', '還': '还', '鄉': '乡',
	'醫': '医', '錄': '录', '鎮': '镇', '長': '长', '門': '门', '開': '开', '間': '间', '關': '关',
	'電': '电', '項': '项', '領': '领', '頭': '头', '題': '题', '額': '额', '類': '类', '饋': '馈',
	'體': '体', '點': '点', '黨': '党',
}
