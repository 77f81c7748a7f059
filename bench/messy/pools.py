"""Word pools for a Chinese B2B CRM tenant: people, companies, places, titles, notes.

Hand-written tables only (no pinyin library at run time), so a seed gives the same tenant on
every machine. Every pool is a tuple: order matters to `random.Random`, sets never appear.
"""

from __future__ import annotations

# -- people ------------------------------------------------------------------------------------

# (surname, pinyin, weight): roughly the frequency order of the census.
SURNAMES: tuple[tuple[str, str, int], ...] = (
    ("王", "wang", 72), ("李", "li", 71), ("张", "zhang", 68), ("刘", "liu", 53),
    ("陈", "chen", 45), ("杨", "yang", 34), ("黄", "huang", 25), ("赵", "zhao", 23),
    ("吴", "wu", 21), ("周", "zhou", 21), ("徐", "xu", 16), ("孙", "sun", 15),
    ("马", "ma", 14), ("朱", "zhu", 13), ("胡", "hu", 13), ("郭", "guo", 12),
    ("何", "he", 11), ("林", "lin", 10), ("高", "gao", 10), ("罗", "luo", 9),
    ("郑", "zheng", 9), ("梁", "liang", 8), ("谢", "xie", 7), ("宋", "song", 7),
    ("唐", "tang", 7), ("许", "xu", 6), ("韩", "han", 6), ("冯", "feng", 6),
    ("邓", "deng", 6), ("曹", "cao", 5), ("彭", "peng", 5), ("曾", "zeng", 5),
    ("肖", "xiao", 5), ("田", "tian", 5), ("董", "dong", 5), ("袁", "yuan", 4),
    ("潘", "pan", 4), ("蒋", "jiang", 4), ("蔡", "cai", 4), ("余", "yu", 4),
    ("杜", "du", 4), ("叶", "ye", 4), ("程", "cheng", 4), ("苏", "su", 4),
    ("魏", "wei", 4), ("吕", "lv", 3), ("丁", "ding", 3), ("任", "ren", 3),
    ("沈", "shen", 3), ("姚", "yao", 3), ("卢", "lu", 3), ("钟", "zhong", 3),
    ("谭", "tan", 3), ("陆", "lu", 3), ("范", "fan", 2), ("金", "jin", 2),
    ("石", "shi", 2), ("廖", "liao", 2), ("夏", "xia", 2), ("方", "fang", 2),
    ("白", "bai", 2), ("邹", "zou", 2), ("熊", "xiong", 2), ("秦", "qin", 2),
    ("欧阳", "ouyang", 1), ("司马", "sima", 1), ("上官", "shangguan", 1),
)  # fmt: skip

# (character, pinyin, mostly-female?) for given names of one or two characters.
GIVEN_CHARS: tuple[tuple[str, str, bool], ...] = (
    ("伟", "wei", False), ("芳", "fang", True), ("娜", "na", True), ("敏", "min", True),
    ("静", "jing", True), ("丽", "li", True), ("强", "qiang", False), ("磊", "lei", False),
    ("军", "jun", False), ("洋", "yang", False), ("勇", "yong", False), ("艳", "yan", True),
    ("杰", "jie", False), ("娟", "juan", True), ("涛", "tao", False), ("明", "ming", False),
    ("超", "chao", False), ("秀", "xiu", True), ("霞", "xia", True), ("平", "ping", False),
    ("刚", "gang", False), ("桂", "gui", True), ("英", "ying", True), ("华", "hua", False),
    ("建", "jian", False), ("国", "guo", False), ("文", "wen", False), ("辉", "hui", False),
    ("鹏", "peng", False), ("婷", "ting", True), ("雪", "xue", True), ("琳", "lin", True),
    ("浩", "hao", False), ("然", "ran", False), ("宇", "yu", False), ("轩", "xuan", False),
    ("子", "zi", False), ("涵", "han", True), ("欣", "xin", True), ("怡", "yi", True),
    ("佳", "jia", True), ("晨", "chen", False), ("博", "bo", False), ("思", "si", True),
    ("雨", "yu", True), ("嘉", "jia", False), ("俊", "jun", False), ("志", "zhi", False),
    ("海", "hai", False), ("波", "bo", False), ("红", "hong", True), ("玲", "ling", True),
    ("斌", "bin", False), ("凯", "kai", False), ("晓", "xiao", True), ("东", "dong", False),
    ("林", "lin", False), ("峰", "feng", False), ("慧", "hui", True), ("倩", "qian", True),
    ("亮", "liang", False), ("成", "cheng", False), ("龙", "long", False), ("飞", "fei", False),
    ("颖", "ying", True), ("萍", "ping", True), ("洁", "jie", True), ("梅", "mei", True),
    ("鑫", "xin", False), ("彬", "bin", False), ("琪", "qi", True), ("瑶", "yao", True),
    ("天", "tian", False), ("一", "yi", False), ("泽", "ze", False), ("睿", "rui", False),
)  # fmt: skip

# Single-word Latin names: foreign staff and expats, entered by one name only.
LATIN_NAMES: tuple[str, ...] = (
    "Müller", "Smith", "Schmidt", "Tanaka", "O'Brien", "Nguyễn", "Søren", "Łukasz",
    "François", "Johnson", "Kowalski", "Andersson", "Dubois", "Rossi", "Kim", "Peter",
    "José", "Björk",
)  # fmt: skip

# What a salesperson types when only the surname and a form of address are known.
ADDRESS_FORMS: tuple[str, ...] = (
    "总", "经理", "工", "姐", "老师", "主任", "秘书", "董", "老板", "总监", "哥", "sir",
)  # fmt: skip
NICKNAME_PREFIXES: tuple[str, ...] = ("小", "老", "阿")

# (department, titles)
DEPARTMENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("采购部", ("采购经理", "采购专员", "采购总监", "采购主管")),
    ("财务部", ("财务经理", "会计", "出纳", "财务总监", "CFO")),
    ("技术部", ("技术总监", "工程师", "高级工程师", "CTO", "研发经理")),
    ("总经办", ("总经理", "副总经理", "董事长", "总经理助理", "总裁")),
    ("行政部", ("行政主管", "行政专员", "前台")),
    ("信息部", ("IT经理", "网络管理员", "信息化主管", "CIO")),
    ("人力资源部", ("HR经理", "招聘专员", "人事主管")),
    ("运营部", ("运营经理", "运营总监", "运营专员")),
    ("市场部", ("市场总监", "市场经理", "品牌经理")),
    ("销售部", ("销售经理", "销售总监", "大客户经理", "区域经理")),
    ("生产部", ("厂长", "生产经理", "车间主任", "质量经理")),
)  # fmt: skip

# -- places --------------------------------------------------------------------------------

# (province, city, districts, area code, local digits, city pinyin)
CITIES: tuple[tuple[str, str, tuple[str, ...], str, int, str], ...] = (
    ("北京市", "北京市", ("海淀区", "朝阳区", "东城区", "西城区", "昌平区"), "010", 8, "bj"),
    ("上海市", "上海市", ("浦东新区", "闵行区", "徐汇区", "静安区", "嘉定区"), "021", 8, "sh"),
    ("广东省", "深圳市", ("南山区", "福田区", "宝安区", "龙岗区", "龙华区"), "0755", 8, "sz"),
    ("广东省", "广州市", ("天河区", "越秀区", "海珠区", "番禺区", "白云区"), "020", 8, "gz"),
    ("广东省", "东莞市", ("南城街道", "松山湖", "长安镇", "虎门镇"), "0769", 8, "dg"),
    ("广东省", "佛山市", ("顺德区", "南海区", "禅城区"), "0757", 8, "fs"),
    ("浙江省", "杭州市", ("西湖区", "滨江区", "余杭区", "萧山区", "拱墅区"), "0571", 8, "hz"),
    ("浙江省", "宁波市", ("鄞州区", "北仑区", "海曙区"), "0574", 8, "nb"),
    ("浙江省", "温州市", ("鹿城区", "瓯海区", "乐清市"), "0577", 8, "wz"),
    ("江苏省", "苏州市", ("工业园区", "高新区", "吴中区", "昆山市"), "0512", 8, "su"),
    ("江苏省", "南京市", ("鼓楼区", "玄武区", "江宁区", "建邺区"), "025", 8, "nj"),
    ("江苏省", "无锡市", ("滨湖区", "新吴区", "梁溪区"), "0510", 8, "wx"),
    ("四川省", "成都市", ("高新区", "武侯区", "锦江区", "青羊区"), "028", 8, "cd"),
    ("湖北省", "武汉市", ("江汉区", "洪山区", "武昌区", "东湖高新区"), "027", 8, "wh"),
    ("湖北省", "襄阳市", ("樊城区", "襄城区", "高新区"), "0710", 7, "xy"),
    ("湖南省", "长沙市", ("岳麓区", "芙蓉区", "雨花区"), "0731", 8, "cs"),
    ("湖南省", "永州市", ("冷水滩区", "零陵区"), "0746", 7, "yz"),
    ("陕西省", "西安市", ("雁塔区", "碑林区", "未央区"), "029", 8, "xa"),
    ("山东省", "青岛市", ("市南区", "崂山区", "黄岛区"), "0532", 8, "qd"),
    ("山东省", "济南市", ("历下区", "槐荫区", "高新区"), "0531", 8, "jn"),
    ("天津市", "天津市", ("和平区", "南开区", "滨海新区"), "022", 8, "tj"),
    ("重庆市", "重庆市", ("渝中区", "江北区", "渝北区", "九龙坡区"), "023", 8, "cq"),
    ("福建省", "厦门市", ("思明区", "湖里区", "集美区"), "0592", 7, "xm"),
    ("福建省", "福州市", ("鼓楼区", "台江区", "仓山区"), "0591", 8, "fz"),
    ("辽宁省", "大连市", ("中山区", "沙河口区", "甘井子区"), "0411", 8, "dl"),
    ("辽宁省", "沈阳市", ("和平区", "沈河区", "浑南区"), "024", 8, "sy"),
    ("河南省", "郑州市", ("金水区", "二七区", "郑东新区"), "0371", 8, "zz"),
    ("安徽省", "合肥市", ("蜀山区", "包河区", "高新区"), "0551", 8, "hf"),
    ("云南省", "昆明市", ("五华区", "盘龙区", "官渡区"), "0871", 8, "km"),
    ("黑龙江省", "哈尔滨市", ("南岗区", "道里区", "香坊区"), "0451", 8, "hrb"),
)  # fmt: skip

ROADS: tuple[str, ...] = (
    "科技路", "人民路", "建设路", "中山路", "解放路", "和平路", "长江路", "黄河路", "创业路",
    "高新大道", "深南大道", "世纪大道", "滨江大道", "工业大道", "文化路", "学府路", "金融街",
    "迎宾大道", "东风路", "胜利路",
)  # fmt: skip
BUILDINGS: tuple[str, ...] = (
    "A座", "B座", "C栋", "1号楼", "2号楼", "科技大厦", "国际中心", "创新园", "产业园", "写字楼",
)  # fmt: skip

# -- companies -----------------------------------------------------------------------------

# (brand, pinyin) of the 字号.
BRANDS: tuple[tuple[str, str], ...] = (
    ("华信达", "huaxinda"), ("联拓", "liantuo"), ("云启", "yunqi"), ("青禾", "qinghe"),
    ("锦程", "jincheng"), ("瑞丰", "ruifeng"), ("汇通", "huitong"), ("星海", "xinghai"),
    ("恒达", "hengda"), ("宏远", "hongyuan"), ("中科", "zhongke"), ("天宇", "tianyu"),
    ("鼎盛", "dingsheng"), ("盛世", "shengshi"), ("博远", "boyuan"), ("海纳", "haina"),
    ("创维", "chuangwei"), ("德润", "derun"), ("金桥", "jinqiao"), ("新锐", "xinrui"),
    ("东方", "dongfang"), ("长城", "changcheng"), ("华宇", "huayu"), ("凯瑞", "kairui"),
    ("远景", "yuanjing"), ("嘉和", "jiahe"), ("安泰", "antai"), ("永信", "yongxin"),
    ("立信", "lixin"), ("卓越", "zhuoyue"), ("同创", "tongchuang"), ("启明", "qiming"),
    ("睿智", "ruizhi"), ("银河", "yinhe"), ("明德", "mingde"), ("九州", "jiuzhou"),
    ("华腾", "huateng"), ("正源", "zhengyuan"), ("百川", "baichuan"), ("聚力", "juli"),
    ("弘毅", "hongyi"), ("光明", "guangming"), ("国泰", "guotai"), ("泰和", "taihe"),
    ("旭日", "xuri"), ("万通", "wantong"), ("中联", "zhonglian"), ("华泰", "huatai"),
    ("金鹏", "jinpeng"), ("宏图", "hongtu"), ("众诚", "zhongcheng"), ("信达", "xinda"),
    ("明阳", "mingyang"), ("天合", "tianhe"), ("晶科", "jingke"), ("远航", "yuanhang"),
    ("蓝海", "lanhai"), ("绿源", "lvyuan"), ("祥云", "xiangyun"), ("合力", "heli"),
    ("瑞康", "ruikang"), ("仁和", "renhe"), ("鸿运", "hongyun"), ("大成", "dacheng"),
    ("新华", "xinhua"), ("佳禾", "jiahe2"), ("三友", "sanyou"), ("精诚", "jingcheng"),
    ("科瑞", "kerui"), ("诺达", "nuoda"), ("益康", "yikang"), ("麦田", "maitian"),
    ("斯达", "sida"), ("奥拓", "aotuo"), ("优品", "youpin"), ("易达", "yida"),
    ("金蝶", "jindie"), ("汉森", "hansen"), ("英科", "yingke"), ("昊天", "haotian"),
)  # fmt: skip

# industry_level1 option value -> (industry words, domain suffix hint)
INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "1": ("精密机械", "模具", "新材料", "汽车零部件", "电气设备", "包装材料", "五金制品", "化工"),
    "2": ("信息技术", "软件", "网络科技", "数据服务", "智能科技", "电子科技", "云计算"),
    "3": ("融资租赁", "投资管理", "保险经纪", "商业保理", "金融信息服务"),
    "4": ("商贸", "连锁超市", "百货", "供应链管理", "贸易", "电子商务"),
    "5": ("医疗器械", "生物科技", "医药", "健康管理", "诊断技术"),
}  # fmt: skip
ORG_FORMS: tuple[tuple[str, int], ...] = (
    ("有限公司", 60), ("股份有限公司", 15), ("有限责任公司", 10), ("集团有限公司", 5),
    ("科技有限公司", 10),
)  # fmt: skip
DOMAIN_SUFFIXES: tuple[tuple[str, int], ...] = (
    (".com.cn", 45), (".com", 40), (".cn", 10), (".net", 5),
)  # fmt: skip

PUBLIC_MAIL: tuple[tuple[str, int], ...] = (
    ("qq.com", 45), ("163.com", 25), ("126.com", 10), ("sina.com", 5), ("foxmail.com", 5),
    ("139.com", 5), ("hotmail.com", 3), ("gmail.com", 2),
)  # fmt: skip

# Mobile prefixes a number plan lists today.
MOBILE_PREFIXES: tuple[str, ...] = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "180", "181", "182", "183", "184",
    "185", "186", "187", "188", "189", "177", "176", "173", "199", "198", "166", "147",
    "175", "178", "191",
)  # fmt: skip

# -- free text -----------------------------------------------------------------------------

ACCOUNT_REMARKS: tuple[str, ...] = (
    "老客户，年底有采购计划", "通过展会认识，对价格比较敏感", "需开增值税专用发票",
    "付款周期60天，注意回款", "竞品在跟，需重点维护", "客户要求月底前给出正式报价",
    "集团统一采购，需走招标流程", "已签框架协议", "对接人经常变动，注意核实", "转介绍客户",
    "2019年合作过一次，后来流失", "重点客户，总经理亲自跟进", "有二期项目计划",
    "财务审批慢，合同要提前走", "样品已寄出，等待测试结果",
)  # fmt: skip
CONTACT_REMARKS: tuple[str, ...] = (
    "决策人", "关键影响人", "只接受微信沟通", "上午不方便接电话", "喜欢喝茶，可以约见面聊",
    "技术对接人", "之前在竞品公司工作", "负责付款审批", "新任采购，关系待建立", "已离职？待确认",
    "节日记得问候", "英文沟通", "老板的亲戚",
)  # fmt: skip
FOLLOWUP_TEXTS: tuple[str, ...] = (
    "电话沟通年度采购计划，客户关注交期和付款方式", "上门拜访，演示新版系统，客户反馈良好",
    "发送报价单，等待客户回复", "微信沟通合同细节，法务在审", "客户投诉上批货延期，已协调物流",
    "约了下周二到公司面谈", "客户提出定制需求，已转研发评估", "催收尾款，客户答应月底付清",
    "参加客户供应商大会", "邮件确认样品规格", "客户预算削减，项目暂缓", "陪同技术做现场调试",
    "新对接人介绍，交换名片", "续约沟通，客户希望降价5%", "节前拜访，送了礼品",
)  # fmt: skip
FOLLOWUP_TAILS: tuple[str, ...] = (
    "", "", "", "。下一步：发正式合同", "。待跟进", "。已汇报给经理", "，需技术支持",
)  # fmt: skip

# -- dirty material ------------------------------------------------------------------------

JUNK_PHONES: tuple[str, ...] = (
    # the seven every tenant has, in the order they are handed out first
    "8888", "见官网", "0710-1234", "无", "-", "13800000000 (前台)", "转人工",
    # and what else people type when a number is required
    "不详", "暂无", "同上", "0", "/", "N/A", "待补充", "微信联系", "1381234567", "见名片",
    "00000000", "电话打不通",
)  # fmt: skip

# Prefixes that exist on phones in the wild but that a strict number-plan library may call
# unassigned or not mobile (new, virtual-operator and IoT ranges).
UNASSIGNED_PREFIXES: tuple[str, ...] = ("149", "162", "165", "167", "192", "197", "190", "196")

EMOJI: tuple[str, ...] = (
    "👍", "🌸", "🎉", "😊", "🔥", "💼", "⭐", "🙏", "👨\u200d💼", "👍🏻", "🇨🇳", "☎️", "🍵",
)  # fmt: skip

# Control characters other than \t \n \r, as Excel pastes and old importers leave them.
CONTROL_CHARS: tuple[str, ...] = (
    "\x00", "\x01", "\x02", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1c", "\x1e", "\x1f",
    "\x7f",
)  # fmt: skip
ZERO_WIDTH: tuple[str, ...] = ("\u200b", "\u200c", "\u200d", "\ufeff", "\u2060")

PASTED_PARAGRAPH: tuple[str, ...] = (
    "（原名称，2015年更名；工商注册地址与实际办公地址不一致，开票请以营业执照为准）",
    "注：该客户与我司自2012年起合作，主要采购标准件及少量定制件，年采购额约三百万元，",
    "付款方式为月结60天，对账联系人为财务部，发票需寄送至总部财务中心，",
    "客户内部有两套审批流程，金额超过十万元需集团审批，合同盖章周期通常为两周左右，",
    "另：该客户下属有三家子公司，分别位于华东、华南和西南地区，采购均由总部统一管理，",
    "联系人变动频繁，请每次拜访前在系统中核实最新的对接人与职务信息，避免误联系。",
    "以上信息由原销售于交接时整理，部分内容可能已过时，仅供参考。",
)  # fmt: skip

MULTILINE_REMARKS: tuple[str, ...] = (
    "第一次拜访：客户对价格敏感\n第二次拜访：演示后有意向\n第三次：等预算",
    "开票信息：\r\n抬头：见合同\r\n税号：见营业执照\r\n开户行：招商银行",
    "规格\t数量\t单价\nA-100\t20\t1,200.00\nB-200\t5\t3,500.00",
    "收货地址：\n  仓库一：东门\n  仓库二：西门（周末不收货）",
    "1. 需求确认\r\n2. 方案报价\r\n3. 合同签订\r\n\r\n当前在第2步",
    "联系人：\t采购部\n电话：\t见联系人\n\n备注结束",
)  # fmt: skip
