package portal

// texts are the portal's words in one language; Chinese is the default,
// English with ?lang=en (kept in a cookie).
type texts struct {
	Lang, Title, SignIn, Token, TokenHint, SignInButton, SignOut, BadToken, Throttled,
	Units, NoUnits, Today, SensitiveBanner, TodaySent, TodayMissing, ZeroReport, ZeroHint,
	Found, Remark, RemarkHint, Send, Recent, Date, DisputesFound, ReportedAt, NoReports,
	Forbidden, Expired, Saved, Back, Other, Invalid string
	Register, Worklist, OpenCases, CaseNo, Stage, Deadline, DaysLeft, Flags, Overdue, Supervised, Assigned, Major,
	NoCases, LongUnresolved, Matter, Lead, Target, NoMatters, DisputeNo, Risk, Missing, NoDisputes, NewDispute,
	Category, Persons, Source, LeaderRole, HandlerAssigned, ResolveBy, RegisterButton, Inspected, Resolved string
	Risks, Haves, Sources, Stages map[string]string
}

var zh = texts{
	Lang: "zh-CN", Title: "信访风险监测 · 单位报送", SignIn: "登录", Token: "访问令牌",
	TokenHint: "由县信访局发放，每个单位一份；请勿转交他人。", SignInButton: "登录", SignOut: "退出",
	BadToken: "令牌无效，请核对后重试。", Throttled: "失败次数过多，请稍后再试。",
	Units: "本账号负责的单位", NoUnits: "本账号没有可报送的单位。", Today: "今日日报",
	SensitiveBanner: "敏感期：每日 %s 前须报送日报，无情况也须零报告。",
	TodaySent:       "今日已报送：发现矛盾纠纷 %d 件（%s 报送）。如需更正，可重新报送。", TodayMissing: "今日尚未报送。",
	ZeroReport: "零报告（今日无新发现）", ZeroHint: "本单位今日排查未发现新的矛盾纠纷。",
	Found: "发现矛盾纠纷（件）", Remark: "备注", RemarkHint: "只写事项，不写个人姓名、身份证号或电话。",
	Send: "报送", Recent: "近 30 日报送情况", Date: "日期", DisputesFound: "发现件数", ReportedAt: "报送时间",
	NoReports: "近 30 日没有报送记录。", Forbidden: "无权访问该单位。", Expired: "登录已过期，请重新登录。",
	Saved: "已保存。", Back: "返回", Other: "English", Invalid: "未报送：请按字段旁的提示修改后重新报送。",
	Register: "矛盾纠纷台账", Worklist: "工作清单", OpenCases: "在办信访件", CaseNo: "案号", Stage: "环节", Deadline: "办理期限",
	DaysLeft: "剩余天数", Flags: "标记", Overdue: "已超期", Supervised: "督办", Assigned: "交办", Major: "重大",
	NoCases: "没有在办信访件。", LongUnresolved: "信访积案", Matter: "事项", Lead: "包案领导", Target: "化解目标",
	NoMatters: "没有信访积案。", DisputeNo: "编号", Risk: "风险等级", Missing: "“四有”缺项", NoDisputes: "没有在办矛盾纠纷。",
	NewDispute: "登记矛盾纠纷", Category: "类别", Persons: "可能涉及人数", Source: "来源", LeaderRole: "包案领导（职务）",
	HandlerAssigned: "已明确责任人", ResolveBy: "化解时限", RegisterButton: "登记", Inspected: "已督导检查", Resolved: "已化解",
	Risks:   map[string]string{"high": "红（高）", "medium": "橙（中）", "low": "黄（低）"},
	Haves:   map[string]string{"leader": "包案领导", "handler": "责任人", "deadline": "化解时限", "inspection": "督导检查"},
	Sources: map[string]string{"screening": "排查", "hotline": "热线", "grid": "网格", "petition": "信访", "other": "其他"},
	Stages:  map[string]string{"routing": "转送交办", "acceptance": "受理", "handling": "办理", "review": "复查", "re_review": "复核"},
}

var en = texts{
	Lang: "en", Title: "riskmon · unit reports", SignIn: "Sign in", Token: "Access token",
	TokenHint: "Issued by the county petition bureau, one per unit; do not pass it on.", SignInButton: "Sign in", SignOut: "Sign out",
	BadToken: "The token is not valid; check it and try again.", Throttled: "Too many failed attempts; try again later.",
	Units: "Units of this account", NoUnits: "This account reports for no unit.", Today: "Today's report",
	SensitiveBanner: "Sensitive period: the daily report is due by %s every day, a zero report when nothing was found.",
	TodaySent:       "Sent today: %d dispute(s) found (at %s). Send again to correct it.", TodayMissing: "Not sent yet today.",
	ZeroReport: "Zero report (nothing new today)", ZeroHint: "The unit's screening found no new dispute today.",
	Found: "Disputes found", Remark: "Remark", RemarkHint: "Write about the matter only: no person's name, ID or phone number.",
	Send: "Send", Recent: "The last 30 days", Date: "Date", DisputesFound: "Found", ReportedAt: "Sent at",
	NoReports: "No report in the last 30 days.", Forbidden: "You may not open this unit.", Expired: "Your sign-in expired; sign in again.",
	Saved: "Saved.", Back: "Back", Other: "中文", Invalid: "Not sent: correct what is shown next to the fields and send again.",
	Register: "Dispute register", Worklist: "Worklist", OpenCases: "Open cases", CaseNo: "Case", Stage: "Stage", Deadline: "Deadline",
	DaysLeft: "Days left", Flags: "Flags", Overdue: "overdue", Supervised: "supervised", Assigned: "assigned", Major: "major",
	NoCases: "No open case.", LongUnresolved: "Long-unresolved matters", Matter: "Matter", Lead: "Lead (role)", Target: "Target",
	NoMatters: "No long-unresolved matter.", DisputeNo: "Number", Risk: "Risk", Missing: "Missing of the four haves", NoDisputes: "No open dispute.",
	NewDispute: "Register a dispute", Category: "Category", Persons: "People who might act together", Source: "Source", LeaderRole: "Lead leader (role)",
	HandlerAssigned: "A handler is named", ResolveBy: "Resolve by", RegisterButton: "Register", Inspected: "Inspected", Resolved: "Resolved",
	Risks:   map[string]string{"high": "high (red)", "medium": "medium (orange)", "low": "low (yellow)"},
	Haves:   map[string]string{"leader": "leader", "handler": "handler", "deadline": "deadline", "inspection": "inspection"},
	Sources: map[string]string{"screening": "screening", "hotline": "hotline", "grid": "grid", "petition": "petition", "other": "other"},
	Stages:  map[string]string{"routing": "routing", "acceptance": "acceptance", "handling": "handling", "review": "review", "re_review": "re-review"},
}
