package reportgen

import (
	"strconv"
	"strings"
)

const prefaceText = "本报告依据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》要求编制，由{organ}根据本机关政府信息公开工作实际情况汇总形成。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"

// Villages and communities with characters fonts often lack: Extension A
// (㮾 䢺), a late URO addition (鿍 U+9FCD) and Extension B–F (𥔲 𬇙 𠙶).
var villages = []string{"𥔲嘉村", "㮾梨社区", "𬇙溪村", "𠙶坪村", "鿍头村", "䢺水村", "大庄社区", "新华社区", "龙泉村"}

type section struct {
	headings  []string
	sentences []string
}

var overviewSections = []section{
	{
		headings: []string{"（一）主动公开情况。", "（一）主动公开政府信息情况。", "（一）持续加大主动公开力度。"},
		sentences: []string{
			"{year}年，{short}严格按照《中华人民共和国政府信息公开条例》规定的主动公开范围发布和更新信息，全年通过政府门户网站主动公开政府信息{published}条。",
			"围绕乡村振兴、民生保障、财政预决算、重大建设项目等重点领域，及时准确公开相关政策文件和执行情况。",
			"持续完善政务服务便民热线办理制度，对群众诉求实行全流程跟踪督办，办结率保持在较高水平。",
			"扎实开展政务公开进村入户活动，在{village}等地设置政务公开栏，打通政策宣传“最后一公里”。",
			"加强政策解读工作，采用图表图解、问答、短视频等形式解读政策文件，做到政策文件与解读材料同步组织、同步审签、同步发布。",
			"做好重要会议、重要活动和重大决策的信息发布，及时回应社会关切，没有发生因信息公开不及时引发的舆情事件。",
		},
	},
	{
		headings: []string{"（二）依申请公开情况。", "（二）依申请公开办理情况。", "（二）规范办理依申请公开。"},
		sentences: []string{
			"{short}严格执行依申请公开接收、登记、审核、办理、答复程序，{year}年新收政府信息公开申请{received}件，上年结转{over}件，办结{handled}件，其中予以公开{disclosed}件，结转下年度继续办理{forward}件。",
			"对申请内容不明确的，及时一次性告知申请人补正事项，并耐心做好沟通解释工作。",
			"所有申请均在法定期限内答复，答复文书格式规范、依据充分、告知救济途径完整。",
			"本年度因政府信息公开工作被申请行政复议{reviews}件，被提起行政诉讼{lawsuits}件。",
		},
	},
	{
		headings: []string{"（三）政府信息管理情况。", "（三）加强政府信息管理。"},
		sentences: []string{
			"健全完善政府信息管理制度，按照“谁公开、谁负责”和“先审查、后公开”的原则，对拟公开的政府信息严格执行保密审查。",
			"开展行政规范性文件清理工作，对现行有效的文件进行梳理并集中公布，方便公众查阅。",
			"动态调整政府信息公开目录，做到应公开尽公开，信息更新及时、准确、完整。",
		},
	},
	{
		headings: []string{"（四）政府信息公开平台建设情况。", "（四）政府信息平台建设。", "（四）加强公开平台建设。"},
		sentences: []string{
			"依托政府门户网站开展政府信息公开工作，更新完善公开制度、公开指南和机构职能等栏目内容。",
			"用好政务新媒体，推动政务微博、微信公众号与门户网站信息同步发布，扩大政府信息传播范围。",
			"安排专人负责平台的日常维护和内容保障，确保平台安全稳定运行。",
			"在政务服务大厅设置政府信息查阅点，方便群众就近查阅政府信息。",
		},
	},
	{
		headings: []string{"（五）监督保障情况。", "（五）强化监督保障。"},
		sentences: []string{
			"积极畅通监督渠道，公布咨询及监督电话，广泛接受社会监督。",
			"将政务公开工作纳入年度绩效考核，定期开展自查自纠，发现问题立行立改。",
			"组织开展政府信息公开业务培训，提高工作人员的政策水平和业务能力。",
			"{year}年未发生因不履行政府信息公开义务而被责任追究的情况。",
		},
	},
}

var problemSections = []section{
	{
		headings: []string{"（一）存在问题。", "（一）存在的主要问题。"},
		sentences: []string{
			"一是政策解读的形式还不够丰富，解读的深度和针对性有待提高；",
			"二是部分栏目信息更新不够及时，公开内容不够全面；",
			"三是工作人员变动较为频繁，业务能力有待进一步加强；",
			"四是政府信息公开工作宣传不到位，社会知晓度和群众参与度还不高。",
		},
	},
	{
		headings: []string{"（二）改进措施。", "（二）改进情况。"},
		sentences: []string{
			"一是丰富政策解读形式，多用群众看得懂的语言解读政策；",
			"二是加强栏目日常巡查，建立信息发布提醒机制，确保信息及时更新；",
			"三是加强业务培训，提升工作人员的业务水平；",
			"四是加大宣传力度，不断深化公众参与，充分吸收公众意见、反映公众需求。",
		},
	},
}

// fill substitutes the figures of this report into a template sentence.
func (g *generator) fill(s string) string {
	i := strconv.Itoa
	n := func(v int64) string { return strconv.FormatInt(v, 10) }
	s = strings.NewReplacer(
		"{organ}", g.organ, "{short}", g.short, "{year}", i(g.year),
		"{received}", n(g.received), "{over}", n(g.carriedOver), "{handled}", n(g.handled),
		"{disclosed}", n(g.disclosed), "{forward}", n(g.carriedForward),
		"{reviews}", n(g.reviews), "{lawsuits}", n(g.lawsuits), "{published}", n(g.published),
		"{village}", pick(g.r, villages)+"、"+pick(g.r, villages),
	).Replace(s)
	if g.ascii {
		// As typed on a keyboard in English mode: the engine normalises
		// punctuation between Chinese characters.
		s = strings.NewReplacer("，", ",", "（", "(", "）", ")", "；", ";").Replace(s)
	}
	return s
}

// body joins between lo and hi sentences of a section, starting at the first
// (which carries the figures) and sometimes breaking the text into several
// paragraphs with \n.
func (g *generator) body(sec section, lo, hi int64) string {
	k := min(g.r.between(lo, hi), int64(len(sec.sentences)))
	var b strings.Builder
	for j := range k {
		if j > 0 && g.r.chance(20) {
			b.WriteByte('\n')
		}
		b.WriteString(g.fill(sec.sentences[j]))
	}
	return b.String()
}

func (g *generator) paragraphs(secs []section, lo, hi int64) []Paragraph {
	ps := make([]Paragraph, 0, len(secs))
	for _, sec := range secs {
		ps = append(ps, Paragraph{Heading: g.fill(pick(g.r, sec.headings)), Text: g.body(sec, lo, hi)})
	}
	return ps
}

func (g *generator) overview() []Paragraph {
	switch g.r.weighted([]int64{20, 55, 25}) {
	case 0: // short: a single paragraph without headings
		return []Paragraph{{Text: g.fill("{year}年，{organ}认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息{published}条，新收政府信息公开申请{received}件，办结{handled}件。")}}
	case 1:
		return g.paragraphs(overviewSections, 1, 3)
	default: // long: every sentence, several paragraphs
		return g.paragraphs(overviewSections, 3, 6)
	}
}

func (g *generator) problems() []Paragraph {
	if g.r.chance(25) {
		return []Paragraph{{Text: g.fill("政府信息公开工作虽然取得了一定成效，但仍存在公开内容不够全面、政策解读不够深入等问题。下一步，{short}将进一步加大主动公开力度，提高政策解读质量，不断提升政府信息公开工作水平。")}}
	}
	return g.paragraphs(problemSections, 2, 4)
}

func (g *generator) otherMatters() []Paragraph {
	switch g.r.intn(4) {
	case 0:
		return nil // the template writes 无。
	case 1:
		return []Paragraph{{Text: "无。"}}
	case 2:
		return []Paragraph{{Text: g.fill("{year}年，{short}未收取信息处理费。")}}
	}
	return []Paragraph{
		{Text: g.fill("依据《政府信息公开信息处理费管理办法》，{year}年{short}未发出收费通知，未收取信息处理费。")},
		{Heading: g.fill("（一）人大代表建议和政协提案办理结果公开情况。"), Text: g.fill("{year}年共承办人大代表建议和政协提案，办理结果均已按规定公开。")},
	}
}
