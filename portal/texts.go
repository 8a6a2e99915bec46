package portal

// texts are the portal's words in one language; Chinese is the default,
// English with ?lang=en (kept in a cookie).
type texts struct {
	Lang, Title, SignIn, Token, TokenHint, SignInButton, SignOut, BadToken, Throttled,
	Units, NoUnits, Today, SensitiveBanner, TodaySent, TodayMissing, ZeroReport, ZeroHint,
	Found, Remark, RemarkHint, Send, Recent, Date, DisputesFound, ReportedAt, NoReports,
	Forbidden, Expired, Saved, Back, Other, Invalid string
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
	Saved: "已报送。", Back: "返回", Other: "English", Invalid: "未报送：请按字段旁的提示修改后重新报送。",
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
	Saved: "Sent.", Back: "Back", Other: "中文", Invalid: "Not sent: correct what is shown next to the fields and send again.",
}
