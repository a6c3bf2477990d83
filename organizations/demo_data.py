"""The demo city's agencies, names and key-post templates (data for organizations/demo.py).

Each agency is (code, name, English name, category code, parent code or None).
Parents come before their children. Codes are stable: the seed is idempotent by code.
"""

from __future__ import annotations

AGENCIES: list[tuple[str, str, str, str, str | None]] = [
    # 党政机关 (party and government organs)
    ("P-SWB", "市委办公室", "Office of the Municipal Party Committee", "party", None),
    ("P-ZFB", "市政府办公室", "General Office of the Municipal Government", "party", None),
    ("P-XNB", "市机关效能建设领导小组办公室", "Municipal Efficiency Office", "party", None),
    (
        "P-ZZB",
        "市委组织部",
        "Organisation Department of the Municipal Party Committee",
        "party",
        None,
    ),
    ("P-DHQ", "东湖区人民政府", "Donghu District Government", "party", None),
    ("P-XSQ", "西山区人民政府", "Xishan District Government", "party", None),
    # 政府部门 (government departments)
    (
        "G-SCJG",
        "市市场监督管理局",
        "Municipal Administration for Market Regulation",
        "government",
        None,
    ),
    (
        "G-SCJG-DH",
        "市市场监督管理局东湖分局",
        "Market Regulation, Donghu Branch",
        "government",
        "G-SCJG",
    ),
    (
        "G-SCJG-XS",
        "市市场监督管理局西山分局",
        "Market Regulation, Xishan Branch",
        "government",
        "G-SCJG",
    ),
    (
        "G-ZJJ",
        "市住房和城乡建设局",
        "Municipal Housing and Urban-Rural Development Bureau",
        "government",
        None,
    ),
    (
        "G-RSJ",
        "市人力资源和社会保障局",
        "Municipal Human Resources and Social Security Bureau",
        "government",
        None,
    ),
    (
        "G-ZRZY",
        "市自然资源和规划局",
        "Municipal Natural Resources and Planning Bureau",
        "government",
        None,
    ),
    ("G-STHJ", "市生态环境局", "Municipal Ecology and Environment Bureau", "government", None),
    (
        "G-STHJ-DH",
        "市生态环境局东湖分局",
        "Ecology and Environment, Donghu Branch",
        "government",
        "G-STHJ",
    ),
    ("G-JTJ", "市交通运输局", "Municipal Transport Bureau", "government", None),
    ("G-JYJ", "市教育局", "Municipal Education Bureau", "government", None),
    ("G-WJW", "市卫生健康委员会", "Municipal Health Commission", "government", None),
    ("G-GAJ", "市公安局", "Municipal Public Security Bureau", "government", None),
    ("G-GAJ-DH", "市公安局东湖分局", "Public Security, Donghu Branch", "government", "G-GAJ"),
    ("G-GAJ-XS", "市公安局西山分局", "Public Security, Xishan Branch", "government", "G-GAJ"),
    # 窗口服务单位 (public-service window units)
    (
        "W-XSP",
        "市行政审批服务局",
        "Municipal Administrative Approval Service Bureau",
        "window",
        None,
    ),
    ("W-ZWZX", "市政务服务中心", "Municipal Government Service Centre", "window", "W-XSP"),
    ("W-BDC", "市不动产登记中心", "Municipal Real Estate Registration Centre", "window", None),
    ("W-GJJ", "市住房公积金管理中心", "Municipal Housing Provident Fund Centre", "window", None),
    ("W-YBJ", "市医疗保障局", "Municipal Healthcare Security Bureau", "window", None),
    ("W-CGS", "市公安局交通管理支队车管所", "Vehicle Administration Office", "window", "G-GAJ"),
    # 法检机关 (courts and procuratorates)
    ("J-FY", "市中级人民法院", "Municipal Intermediate People's Court", "judicial", None),
    ("J-FY-DH", "东湖区人民法院", "Donghu District People's Court", "judicial", "J-FY"),
    ("J-FY-XS", "西山区人民法院", "Xishan District People's Court", "judicial", "J-FY"),
    ("J-JCY", "市人民检察院", "Municipal People's Procuratorate", "judicial", None),
    # 驻地单位 (stationed, vertically managed units)
    ("S-SWJ", "国家税务总局本市税务局", "Municipal Tax Service, STA", "stationed", None),
    ("S-GDGS", "国网本市供电公司", "State Grid Municipal Power Supply Company", "stationed", None),
    ("S-QXJ", "市气象局", "Municipal Meteorological Bureau", "stationed", None),
    ("S-YZJ", "市邮政管理局", "Municipal Postal Administration", "stationed", None),
    # 基层站所 (grassroots stations)
    ("B-DHJD", "东湖街道办事处", "Donghu Subdistrict Office", "grassroots", "P-DHQ"),
    ("B-HBJD", "湖滨街道办事处", "Hubin Subdistrict Office", "grassroots", "P-DHQ"),
    ("B-XSJD", "西山街道办事处", "Xishan Subdistrict Office", "grassroots", "P-XSQ"),
    ("B-DHPCS", "东湖派出所", "Donghu Police Station", "grassroots", "G-GAJ-DH"),
    ("B-HBPCS", "湖滨派出所", "Hubin Police Station", "grassroots", "G-GAJ-DH"),
    ("B-XSPCS", "西山派出所", "Xishan Police Station", "grassroots", "G-GAJ-XS"),
    (
        "B-DHSJS",
        "东湖市场监督管理所",
        "Donghu Market Regulation Station",
        "grassroots",
        "G-SCJG-DH",
    ),
    ("B-DHSWS", "东湖税务分局", "Donghu Tax Branch", "grassroots", "S-SWJ"),
]

# Where the fixed demo accounts work.
OFFICE_CODE = "P-XNB"
LEADER_CODE = "P-ZFB"
CLERK_CODE = "G-SCJG"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红建国文斌宇浩凯晨欣怡佳琪婷雪梅海燕亮鹏飞俊辉志坚晓东春雨子涵思远嘉诚一鸣"

POSTS = {
    "单位管理员": ["办公室主任", "综合科科长"],
    "批准人": ["副局长", "分管负责人"],
    "审核人": ["科长", "副科长", "法制审核员"],
    "承办人": ["科员", "窗口受理员", "执法人员", "业务经办人", "综合窗口工作人员"],
    "效能办": ["效能督查员", "投诉受理员", "综合科科员"],
    "领导": ["副市长", "市政府秘书长", "市效能办主任"],
}

# Key posts published by each category: (title, duties, powers).
KEY_POSTS: dict[str, list[tuple[str, str, str]]] = {
    "party": [
        ("信访接待岗", "接待来信来访，登记、转办、督办信访事项。", "信访事项受理、转送、交办。"),
        ("督查督办岗", "督促检查重大决策部署落实情况。", "发督办通知，提出问责建议。"),
    ],
    "government": [
        ("行政许可受理岗", "受理许可申请，一次性告知所需材料。", "受理、不予受理、补正告知。"),
        ("行政执法检查岗", "开展日常监督检查和专项检查。", "现场检查、责令改正、立案建议。"),
        ("行政处罚审核岗", "审核行政处罚案件的事实、证据和程序。", "提出处罚审核意见。"),
    ],
    "window": [
        ("综合受理窗口", "一窗受理各类政务服务事项，出具受理凭证。", "受理、补正告知、容缺受理。"),
        ("审批办理岗", "在承诺时限内审查并作出审批决定。", "准予或不予许可的审查意见。"),
        ("收费岗", "按公示标准收取行政事业性收费并开具票据。", "按标准收费，不得自立项目。"),
    ],
    "judicial": [
        ("立案登记岗", "依法登记立案，当场不能判定的七日内决定。", "立案登记、补正告知。"),
        ("诉讼服务岗", "提供诉讼指引、材料收转和查询服务。", "诉讼材料接收、案件查询。"),
    ],
    "stationed": [
        ("办税服务岗", "办理涉税事项，解答纳税咨询。", "涉税事项受理、发票发放。"),
        ("业扩报装岗", "受理用电报装申请并在时限内接电。", "报装受理、现场勘查、接电安排。"),
    ],
    "grassroots": [
        ("便民服务窗口", "办理居民证明、社保、救助等便民事项。", "事项受理、出具证明。"),
        ("户籍窗口", "办理户口登记、迁移和身份证业务。", "户籍登记、证件受理。"),
        ("网格监督岗", "巡查网格内安全、环境和市场秩序问题。", "发现上报、劝导整改。"),
    ],
}

COMPLAINT_CHANNEL = (
    "对本岗位工作人员的服务态度、办事效率、廉洁自律有意见的，可拨打 12345 政务服务热线，"
    "或在本站「效能投诉」在线投诉；也可向市机关效能建设领导小组办公室来信来访。"
)

# Today's board: mostly 在岗, with the usual share away (weights out of 100) and a typical note.
DUTY_MIX: list[tuple[str, int, list[str]]] = [
    ("on_duty", 72, [""]),
    ("meeting", 9, ["参加全市效能建设推进会", "参加局务会", "参加专题学习会"]),
    ("travel", 6, ["赴省厅汇报工作", "赴外市学习考察"]),
    ("research", 6, ["到基层站所调研", "到企业走访调研", "到窗口现场督查"]),
    ("leave", 7, ["年休假", "病假", "事假"]),
]
