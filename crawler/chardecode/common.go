package chardecode

// commonChars are frequent characters of Chinese government pages, in simplified
// and traditional forms. Text decoded in the right charset is full of them; text
// decoded in the wrong double-byte charset is mostly rare characters.
const commonChars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研信息报告申请办理依开展工作情况主动公开政府年度单位数量项目本年收到结果予以部分不予无法提供其他处理行政复议诉讼维持纠正结总计第一二三四五六七八九十市县区镇乡街道局委办人民" +
	"這為個國來們時對會發動過說產種後經進著電裡實兩體機當點從業應開還於與關義數線內樣問麼質氣變條沒結題黨員總設長頭資邊級圖統較組見計別論運農幾區強決戰則據處報請辦況數項單結審議訟維糾總計縣鄉鎮務門網頁訊"

var common = func() map[rune]bool {
	m := make(map[rune]bool, 600)
	for _, r := range commonChars {
		m[r] = true
	}
	return m
}()

// isCJK reports whether r is a CJK unified ideograph (the basic block and
// extension A).
func isCJK(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF)
}
