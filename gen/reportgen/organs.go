package reportgen

// OrganKind is the level of the reporting organ; it drives the size of the
// figures (a ministry handles thousands of requests, a township a handful)
// and whether the organ may issue 规章 at all.
type OrganKind int

const (
	Township OrganKind = iota
	CountyGovernment
	CountyDepartment
	Prefecture
	Province
	Ministry
)

var organKindWeights = []int64{35, 15, 25, 10, 5, 10}

var provinces = []string{"云南省", "四川省", "浙江省", "安徽省", "江西省", "湖南省", "广东省", "甘肃省", "黑龙江省", "内蒙古自治区", "广西壮族自治区", "新疆维吾尔自治区"}

var prefectures = []string{"楚雄彝族自治州", "黄山市", "乐山市", "上饶市", "长沙市", "亳州市", "泸州市", "丽水市", "黔东南苗族侗族自治州", "衢州市", "六盘水市", "呼伦贝尔市"}

var counties = []string{"双柏县", "歙县", "黟县", "婺源县", "犍为县", "鄱阳县", "濉溪县", "邛崃市", "郫都区", "浏阳市", "缙云县", "岑巩县", "麻栗坡县", "涪陵区", "井陉县", "鄯善县"}

// Township names. Some carry characters outside the BMP (𥔲 U+25532 is a
// real town in 双柏县; the others are made up from CJK Extension B–F
// characters) and CJK Extension A (㮾 U+3BBE, 㟃 U+37C3), which fonts and
// PDF writers tend to get wrong.
var townships = []string{"𥔲嘉", "大庄", "妥甸", "㮾梨", "𬇙溪", "筠连", "黄田", "蟠龙", "罗甸", "洪堰", "龙泉", "𫖯山", "𠙶坪", "茨坪", "㟃岭", "沙坪坝", "碧鸡", "雨花", "𬀩阳", "西溪"}

var townshipSuffixes = []string{"镇人民政府", "乡人民政府", "街道办事处", "镇人民政府", "苗族乡人民政府"}

var townshipShort = map[string]string{"镇人民政府": "镇", "乡人民政府": "乡", "街道办事处": "街道", "苗族乡人民政府": "乡"}

var departments = []string{"发展和改革局", "教育体育局", "公安局", "财政局", "自然资源局", "住房和城乡建设局", "交通运输局", "农业农村局", "卫生健康局", "市场监督管理局", "应急管理局", "医疗保障局", "人力资源和社会保障局", "民政局", "林业和草原局", "文化和旅游局"}

var ministries = []string{"自然资源部", "生态环境部", "交通运输部", "水利部", "农业农村部", "国家税务总局", "海关总署", "国家市场监督管理总局", "国家林业和草原局", "住房和城乡建设部"}

// organ draws a reporting organ and a short name for the prose.
func organ(r *rng) (kind OrganKind, name, short string) {
	kind = OrganKind(r.weighted(organKindWeights))
	switch kind {
	case Township:
		t := pick(r, townships)
		suffix := pick(r, townshipSuffixes)
		name, short = t+suffix, t+townshipShort[suffix]
		if r.chance(30) {
			// Many township reports prefix the county to disambiguate.
			name = pick(r, counties) + name
		}
	case CountyGovernment:
		c := pick(r, counties)
		name, short = c+"人民政府", c
	case CountyDepartment:
		c, d := pick(r, counties), pick(r, departments)
		name, short = c+d, "本局"
	case Prefecture:
		p := pick(r, prefectures)
		if r.chance(50) {
			name, short = p+"人民政府", p
		} else {
			name, short = p+pick(r, departments), "本局"
		}
	case Province:
		p := pick(r, provinces)
		name, short = p+"人民政府", p
	case Ministry:
		m := pick(r, ministries)
		name, short = m, m
	}
	return kind, name, short
}

// mayIssueRegulations: only the State Council's departments and the
// governments of provinces and districted cities make 规章.
func (k OrganKind) mayIssueRegulations() bool {
	return k == Ministry || k == Province || k == Prefecture
}

// scale is the typical number of requests handled per year.
func (k OrganKind) scale(r *rng) int64 {
	switch k {
	case Township:
		return r.between(0, 12)
	case CountyGovernment, CountyDepartment:
		return r.between(0, 120)
	case Prefecture:
		return r.between(20, 900)
	case Province:
		return r.between(200, 4000)
	default:
		return r.between(500, 30000)
	}
}
