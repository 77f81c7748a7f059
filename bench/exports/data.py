"""Reference tables for the export generator: names, places, companies, titles, mail domains.

Everything is a tuple or a tuple of tuples so iteration order never depends on hashing.
"""

from __future__ import annotations

# fmt: off

# Surnames with their share of the population in per cent (mainland figures, rounded), and
# their pinyin as written in names (polyphonic surnames such as 单 shan, 曾 zeng, 解 xie are
# spelled here, not guessed). Compound surnames are rare.
SURNAMES: tuple[tuple[str, str, float], ...] = (
    ("王", "wang", 7.12), ("李", "li", 7.00), ("张", "zhang", 6.74), ("刘", "liu", 5.10),
    ("陈", "chen", 4.61), ("杨", "yang", 3.22), ("黄", "huang", 2.45), ("赵", "zhao", 2.19),
    ("吴", "wu", 2.00), ("周", "zhou", 1.90), ("徐", "xu", 1.45), ("孙", "sun", 1.38),
    ("马", "ma", 1.29), ("朱", "zhu", 1.28), ("胡", "hu", 1.16), ("郭", "guo", 1.13),
    ("何", "he", 1.06), ("高", "gao", 1.00), ("林", "lin", 0.97), ("罗", "luo", 0.86),
    ("郑", "zheng", 0.80), ("梁", "liang", 0.77), ("谢", "xie", 0.65), ("宋", "song", 0.60),
    ("唐", "tang", 0.58), ("许", "xu", 0.55), ("韩", "han", 0.53), ("冯", "feng", 0.52),
    ("邓", "deng", 0.51), ("曹", "cao", 0.50), ("彭", "peng", 0.49), ("曾", "zeng", 0.47),
    ("肖", "xiao", 0.45), ("田", "tian", 0.45), ("董", "dong", 0.44), ("袁", "yuan", 0.43),
    ("潘", "pan", 0.42), ("于", "yu", 0.42), ("蒋", "jiang", 0.41), ("蔡", "cai", 0.40),
    ("余", "yu", 0.40), ("杜", "du", 0.39), ("叶", "ye", 0.39), ("程", "cheng", 0.38),
    ("苏", "su", 0.37), ("魏", "wei", 0.36), ("吕", "lv", 0.35), ("丁", "ding", 0.34),
    ("任", "ren", 0.33), ("沈", "shen", 0.32), ("姚", "yao", 0.31), ("卢", "lu", 0.30),
    ("姜", "jiang", 0.29), ("崔", "cui", 0.28), ("钟", "zhong", 0.27), ("谭", "tan", 0.26),
    ("陆", "lu", 0.25), ("汪", "wang", 0.24), ("范", "fan", 0.23), ("金", "jin", 0.22),
    ("石", "shi", 0.21), ("廖", "liao", 0.20), ("贾", "jia", 0.20), ("夏", "xia", 0.19),
    ("韦", "wei", 0.19), ("付", "fu", 0.18), ("方", "fang", 0.18), ("白", "bai", 0.17),
    ("邹", "zou", 0.17), ("孟", "meng", 0.17), ("熊", "xiong", 0.16), ("秦", "qin", 0.16),
    ("邱", "qiu", 0.16), ("江", "jiang", 0.15), ("尹", "yin", 0.15), ("薛", "xue", 0.15),
    ("闫", "yan", 0.14), ("段", "duan", 0.14), ("雷", "lei", 0.14), ("侯", "hou", 0.13),
    ("龙", "long", 0.13), ("史", "shi", 0.13), ("陶", "tao", 0.12), ("黎", "li", 0.12),
    ("贺", "he", 0.12), ("顾", "gu", 0.12), ("毛", "mao", 0.12), ("郝", "hao", 0.11),
    ("龚", "gong", 0.11), ("邵", "shao", 0.11), ("万", "wan", 0.11), ("钱", "qian", 0.10),
    ("严", "yan", 0.10), ("覃", "qin", 0.10), ("武", "wu", 0.10), ("戴", "dai", 0.10),
    ("莫", "mo", 0.09), ("孔", "kong", 0.09), ("向", "xiang", 0.09), ("汤", "tang", 0.09),
    ("章", "zhang", 0.08), ("单", "shan", 0.03), ("解", "xie", 0.02), ("仇", "qiu", 0.02),
    ("欧阳", "ouyang", 0.03), ("司徒", "situ", 0.008), ("司马", "sima", 0.005),
    ("上官", "shangguan", 0.004), ("诸葛", "zhuge", 0.003), ("东方", "dongfang", 0.002),
    ("皇甫", "huangfu", 0.002), ("慕容", "murong", 0.001), ("令狐", "linghu", 0.001),
)

# Whole given names that many people share, most common first (a Zipf weight is applied).
COMMON_GIVEN_M: tuple[str, ...] = (
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华",
    "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "亮", "峰", "建华", "建国", "建军",
    "志强", "志明", "国强", "海涛", "海波", "晓东", "俊杰", "建平", "建新", "晓明", "永强",
    "志刚", "立新", "宏伟", "振华", "小龙", "家豪", "博文", "天宇", "一鸣", "晓峰", "志勇",
    "建明", "国庆", "卫东", "建伟", "鹏飞", "文杰", "浩然", "子轩", "明辉", "泽宇", "海峰",
)
COMMON_GIVEN_F: tuple[str, ...] = (
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "丹", "萍", "红", "婷", "倩",
    "颖", "琳", "雪", "慧", "莉", "晶", "梅", "洁", "秀英", "秀兰", "桂英", "玉兰", "桂兰",
    "丽娟", "丽华", "晓燕", "海燕", "红梅", "春梅", "秀珍", "美玲", "小红", "晓丽", "婷婷",
    "丹丹", "静怡", "欣怡", "梦琪", "佳怡", "思琪", "雅婷", "晓敏", "丽萍", "秀梅", "桂花",
    "凤英", "艳红", "晓梅", "雪梅", "文静", "慧敏", "佳琪", "晓雪", "海霞", "春燕", "玉霞",
)
SINGLE_GIVEN_M: tuple[str, ...] = tuple(
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林亮峰毅阳昊博坤彬锋翔晨诚睿哲瑞"
)
SINGLE_GIVEN_F: tuple[str, ...] = tuple(
    "芳娜敏静丽艳娟霞燕玲丹萍红婷倩颖琳雪慧莉晶梅洁佳蕾璐薇琦瑶楠妍菲欢露蓉琴云月"
)
FIRST_CHAR_M: tuple[str, ...] = tuple(
    "建志国文晓海俊子家明德永立伟卫振天博浩鹏凯新宏泽思宇嘉金春庆光学继世兴荣宝成少正"
    "一晨明锦若承景启云东雨"
)
SECOND_CHAR_M: tuple[str, ...] = tuple(
    "伟强军平华明峰林东涛斌杰鹏辉刚勇波亮龙飞超宇航轩阳然博文浩毅豪宁磊锋坤彬俊鑫洋帆凯晨旭"
    "源昊星铭睿哲恒诚远达义忠生民良山川江海瑞祥荣昌才辰翔"
)
FIRST_CHAR_F: tuple[str, ...] = tuple(
    "秀丽美玉桂淑晓小雅佳欣思雨梦婉紫晨慧静雪海春红亚艳文诗梓子可一心嘉若语书安怡凤素月"
)
SECOND_CHAR_F: tuple[str, ...] = tuple(
    "英兰华芳娟丽敏霞燕玲梅萍红婷琳颖倩洁莉静雪蓉琴云月珍凤娜丹妍怡涵萱琪彤瑶璐悦欣菲薇晴馨"
    "韵雯蕾茜佳"
)
# Given names typical of people born in the 1950s-60s (fathers in family businesses).
OLD_GIVEN_M: tuple[str, ...] = (
    "建国", "国强", "建华", "志明", "德明", "国华", "卫国", "建军", "振华", "永福", "金生",
    "德胜", "红军", "国平", "树林", "长江", "解放", "玉明", "秋生", "福来",
)

ENGLISH_M: tuple[str, ...] = (
    "David", "Michael", "Kevin", "Jason", "Tony", "Eric", "Jack", "Peter", "Frank", "Leo",
    "Steven", "Vincent", "Alex", "Andy", "Sam", "Ben", "Allen", "Simon", "Ryan", "Bruce",
    "James", "Tom", "Jimmy", "Henry", "Victor", "Johnny", "Terry", "Louis", "Ken", "Gary",
)
ENGLISH_F: tuple[str, ...] = (
    "Lily", "Grace", "Amy", "Cindy", "Vivian", "Emily", "Jessica", "Sophia", "Helen", "Linda",
    "Jenny", "Coco", "Candy", "Tina", "Annie", "Sherry", "Wendy", "Joyce", "Fiona", "Ivy",
    "Cathy", "Judy", "Echo", "Sunny", "Angela", "Nancy", "Irene", "Maggie", "Elaine", "Kiki",
)

# Characters people mix up when typing or hearing a name: same or near-same sound, or a
# look-alike in the same radical family. Deliberately small and common.
SIMILAR_CHARS: tuple[tuple[str, ...], ...] = (
    ("王", "汪"), ("张", "章"), ("李", "黎"), ("林", "琳", "霖"), ("明", "鸣", "铭"),
    ("伟", "玮", "炜"), ("杨", "扬"), ("刘", "柳"), ("徐", "许"), ("吴", "伍"), ("肖", "萧"),
    ("付", "傅"), ("于", "余"), ("江", "姜"), ("静", "婧", "晶"), ("丽", "莉", "俐"),
    ("华", "桦"), ("军", "君", "钧"), ("峰", "锋", "丰"), ("敏", "民"), ("涛", "滔"),
    ("斌", "彬"), ("红", "虹", "宏"), ("娟", "鹃"), ("玲", "铃", "灵"), ("霞", "侠"),
    ("燕", "艳"), ("辉", "晖"), ("杰", "洁"), ("刚", "钢"), ("平", "萍"), ("芳", "方"),
    ("婷", "亭"), ("鹏", "朋"), ("勇", "永"), ("波", "博"), ("健", "建"), ("云", "芸"),
    ("梅", "玫"), ("兰", "岚"), ("英", "瑛"), ("新", "欣", "鑫"), ("晓", "小"), ("志", "智"),
    ("文", "雯"), ("宇", "雨", "羽"), ("浩", "皓", "昊"), ("嘉", "佳", "家"), ("俊", "峻", "骏"),
    ("琪", "琦"), ("凯", "恺"), ("倩", "茜"), ("颖", "莹"), ("慧", "惠"), ("洋", "阳"),
    ("东", "冬"), ("龙", "隆"), ("飞", "菲"), ("磊", "蕾"), ("娜", "纳"), ("凤", "风"),
    ("玉", "钰"), ("珍", "贞"), ("成", "诚"), ("帆", "凡"), ("宁", "凝"), ("涵", "晗"),
    ("轩", "萱"), ("子", "梓"), ("彤", "桐"), ("瑶", "遥"), ("璐", "露"), ("旭", "煦"),
    ("远", "源", "园"), ("达", "大"), ("通", "同"), ("信", "新"), ("泰", "太"), ("恒", "衡"),
    ("祥", "翔"), ("兴", "星"), ("盛", "胜"), ("创", "闯"), ("科", "可"), ("源", "元"),
)

# Sales reps who own the records (负责人 / Contact Owner).
OWNER_NAMES: tuple[str, ...] = (
    "陈晓东", "李娜", "王磊", "张婷", "刘洋", "赵敏", "孙浩", "周静", "吴凯", "郑丽", "黄涛",
    "林晓燕", "何鹏", "高雪", "罗俊", "马丹", "胡斌", "郭倩", "谢峰", "梁颖",
)

# (name, province, province short, English city, English province, abbreviation or "",
#  area code, local number length, weight, districts)
CITIES: tuple[tuple[str, str, str, str, str, str, str, int, float, tuple[str, ...]], ...] = (
    ("北京", "北京市", "北京", "Beijing", "Beijing", "京", "010", 8, 12.0,
     ("朝阳区", "海淀区", "东城区", "西城区", "丰台区", "大兴区", "昌平区", "通州区", "顺义区")),
    ("上海", "上海市", "上海", "Shanghai", "Shanghai", "沪", "021", 8, 12.0,
     ("浦东新区", "徐汇区", "静安区", "长宁区", "闵行区", "黄浦区", "普陀区", "嘉定区", "松江区")),
    ("广州", "广东省", "广东", "Guangzhou", "Guangdong", "穗", "020", 8, 8.0,
     ("天河区", "越秀区", "海珠区", "白云区", "番禺区", "黄埔区")),
    ("深圳", "广东省", "广东", "Shenzhen", "Guangdong", "深", "0755", 8, 10.0,
     ("南山区", "福田区", "罗湖区", "宝安区", "龙岗区", "龙华区")),
    ("杭州", "浙江省", "浙江", "Hangzhou", "Zhejiang", "杭", "0571", 8, 6.0,
     ("西湖区", "滨江区", "余杭区", "拱墅区", "上城区", "萧山区")),
    ("南京", "江苏省", "江苏", "Nanjing", "Jiangsu", "", "025", 8, 5.0,
     ("鼓楼区", "玄武区", "建邺区", "江宁区", "秦淮区")),
    ("苏州", "江苏省", "江苏", "Suzhou", "Jiangsu", "", "0512", 8, 5.0,
     ("姑苏区", "吴中区", "相城区", "虎丘区", "吴江区")),
    ("成都", "四川省", "四川", "Chengdu", "Sichuan", "蓉", "028", 8, 5.0,
     ("武侯区", "锦江区", "青羊区", "金牛区", "成华区", "双流区")),
    ("重庆", "重庆市", "重庆", "Chongqing", "Chongqing", "渝", "023", 8, 4.0,
     ("渝中区", "江北区", "南岸区", "渝北区", "九龙坡区")),
    ("天津", "天津市", "天津", "Tianjin", "Tianjin", "津", "022", 8, 4.0,
     ("和平区", "河西区", "南开区", "滨海新区")),
    ("武汉", "湖北省", "湖北", "Wuhan", "Hubei", "汉", "027", 8, 4.0,
     ("江汉区", "武昌区", "洪山区", "江岸区", "汉阳区")),
    ("西安", "陕西省", "陕西", "Xi'an", "Shaanxi", "", "029", 8, 3.0,
     ("雁塔区", "碑林区", "未央区", "莲湖区")),
    ("厦门", "福建省", "福建", "Xiamen", "Fujian", "鹭", "0592", 7, 2.0,
     ("思明区", "湖里区", "集美区")),
    ("宁波", "浙江省", "浙江", "Ningbo", "Zhejiang", "甬", "0574", 8, 2.0,
     ("鄞州区", "海曙区", "江北区")),
    ("青岛", "山东省", "山东", "Qingdao", "Shandong", "", "0532", 8, 2.0,
     ("市南区", "市北区", "崂山区", "黄岛区")),
    ("东莞", "广东省", "广东", "Dongguan", "Guangdong", "莞", "0769", 8, 3.0,
     ("南城街道", "东城街道", "长安镇", "虎门镇")),
    ("佛山", "广东省", "广东", "Foshan", "Guangdong", "", "0757", 8, 2.0,
     ("禅城区", "南海区", "顺德区")),
    ("长沙", "湖南省", "湖南", "Changsha", "Hunan", "", "0731", 8, 2.0,
     ("岳麓区", "芙蓉区", "天心区", "雨花区")),
    ("郑州", "河南省", "河南", "Zhengzhou", "Henan", "", "0371", 8, 2.0,
     ("金水区", "二七区", "中原区", "管城回族区")),
    ("济南", "山东省", "山东", "Jinan", "Shandong", "", "0531", 8, 1.5,
     ("历下区", "市中区", "槐荫区")),
    ("合肥", "安徽省", "安徽", "Hefei", "Anhui", "", "0551", 8, 1.5,
     ("蜀山区", "包河区", "庐阳区")),
    ("无锡", "江苏省", "江苏", "Wuxi", "Jiangsu", "锡", "0510", 8, 1.5,
     ("梁溪区", "滨湖区", "新吴区")),
    ("沈阳", "辽宁省", "辽宁", "Shenyang", "Liaoning", "", "024", 8, 1.5,
     ("和平区", "沈河区", "浑南区")),
    ("大连", "辽宁省", "辽宁", "Dalian", "Liaoning", "", "0411", 8, 1.5,
     ("中山区", "西岗区", "沙河口区", "甘井子区")),
    ("福州", "福建省", "福建", "Fuzhou", "Fujian", "榕", "0591", 8, 1.5,
     ("鼓楼区", "台江区", "仓山区")),
    ("昆明", "云南省", "云南", "Kunming", "Yunnan", "", "0871", 8, 1.0,
     ("五华区", "盘龙区", "官渡区")),
    ("珠海", "广东省", "广东", "Zhuhai", "Guangdong", "", "0756", 7, 1.0,
     ("香洲区", "金湾区", "斗门区")),
    ("温州", "浙江省", "浙江", "Wenzhou", "Zhejiang", "", "0577", 8, 1.0,
     ("鹿城区", "龙湾区", "瓯海区")),
    ("中山", "广东省", "广东", "Zhongshan", "Guangdong", "", "0760", 8, 1.0,
     ("石岐街道", "东区街道", "小榄镇")),
    ("常州", "江苏省", "江苏", "Changzhou", "Jiangsu", "", "0519", 8, 1.0,
     ("天宁区", "钟楼区", "武进区", "新北区")),
)
MUNICIPALITIES: tuple[str, ...] = ("北京", "上海", "天津", "重庆")

# Mobile number prefixes (China Mobile, Unicom, Telecom) with rough weights.
MOBILE_PREFIXES: tuple[tuple[str, float], ...] = (
    ("139", 6), ("138", 6), ("137", 5), ("136", 5), ("135", 5), ("134", 3), ("159", 4),
    ("158", 4), ("157", 1), ("152", 3), ("151", 3), ("150", 3), ("188", 3), ("187", 3),
    ("182", 2), ("183", 2), ("184", 1), ("147", 1), ("178", 1), ("198", 1), ("130", 3),
    ("131", 3), ("132", 3), ("155", 2), ("156", 3), ("185", 2), ("186", 4), ("176", 1),
    ("166", 1), ("133", 3), ("153", 2), ("180", 2), ("181", 2), ("189", 3), ("177", 1),
    ("173", 1), ("199", 1), ("191", 1),
)

# Brand characters for company trade names (字号).
BRAND_CHARS: tuple[str, ...] = tuple(
    "华中天远盛鑫宏达通信泰恒瑞祥兴隆昌金创新科博航海正德安康联合利源丰腾凯嘉宇星辰光明智云景峰"
    "诚润银美东方伟业捷迅微力永益卓越汇蓝众和普威斯特赛思锐拓"
)

# (Chinese industry, English, short Chinese form used in abbreviations)
INDUSTRIES: tuple[tuple[str, str, str], ...] = (
    ("电子科技", "Electronic Technology", "电子"),
    ("信息技术", "Information Technology", "信息"),
    ("网络科技", "Network Technology", "网络"),
    ("软件", "Software", "软件"),
    ("机械设备", "Machinery Equipment", "机械"),
    ("精密机械", "Precision Machinery", "精密"),
    ("贸易", "Trading", "贸易"),
    ("进出口", "Import & Export", "进出口"),
    ("物流", "Logistics", "物流"),
    ("医疗器械", "Medical Instruments", "医疗"),
    ("生物科技", "Biotechnology", "生物"),
    ("新材料", "New Material", "材料"),
    ("化工", "Chemical", "化工"),
    ("建设工程", "Construction Engineering", "建设"),
    ("环保科技", "Environmental Protection Technology", "环保"),
    ("智能科技", "Intelligent Technology", "智能"),
    ("汽车零部件", "Auto Parts", "汽配"),
    ("光电", "Optoelectronics", "光电"),
    ("食品", "Food", "食品"),
    ("服饰", "Apparel", "服饰"),
    ("包装材料", "Packaging Materials", "包装"),
    ("电气", "Electric", "电气"),
    ("通信技术", "Communication Technology", "通信"),
    ("实业", "Industrial", "实业"),
    ("文化传媒", "Culture Media", "传媒"),
    ("教育科技", "Education Technology", "教育"),
    ("管理咨询", "Management Consulting", "咨询"),
    ("供应链管理", "Supply Chain Management", "供应链"),
    ("能源科技", "Energy Technology", "能源"),
    ("自动化设备", "Automation Equipment", "自动化"),
)

# (Chinese legal form, English legal form, weight)
LEGAL_FORMS: tuple[tuple[str, str, float], ...] = (
    ("有限公司", "Co., Ltd.", 62.0),
    ("股份有限公司", "Co., Ltd.", 14.0),
    ("有限责任公司", "Co., Ltd.", 10.0),
    ("集团有限公司", "Group Co., Ltd.", 6.0),
)

# Well-known companies: (registered name, English name, abbreviations, domain, city).
FAMOUS_COMPANIES: tuple[tuple[str, str, tuple[str, ...], str, str], ...] = (
    ("华为技术有限公司", "Huawei Technologies Co., Ltd.", ("华为", "Huawei"), "huawei.com", "深圳"),
    ("中兴通讯股份有限公司", "ZTE Corporation", ("中兴", "中兴通讯", "ZTE"), "zte.com.cn", "深圳"),
    ("比亚迪股份有限公司", "BYD Company Limited", ("比亚迪", "BYD"), "byd.com", "深圳"),
    ("腾讯科技（深圳）有限公司", "Tencent Technology (Shenzhen) Co., Ltd.", ("腾讯", "Tencent"),
     "tencent.com", "深圳"),
    ("阿里巴巴（中国）有限公司", "Alibaba (China) Co., Ltd.", ("阿里巴巴", "阿里"),
     "alibaba-inc.com", "杭州"),
    ("美的集团股份有限公司", "Midea Group Co., Ltd.", ("美的", "美的集团", "Midea"),
     "midea.com", "佛山"),
    ("联想（北京）有限公司", "Lenovo (Beijing) Co., Ltd.", ("联想", "Lenovo"),
     "lenovo.com", "北京"),
    ("小米科技有限责任公司", "Xiaomi Inc.", ("小米", "Xiaomi"), "xiaomi.com", "北京"),
    ("珠海格力电器股份有限公司", "Gree Electric Appliances, Inc. of Zhuhai", ("格力", "格力电器"),
     "gree.com.cn", "珠海"),
    ("深圳市大疆创新科技有限公司", "SZ DJI Technology Co., Ltd.", ("大疆", "DJI"),
     "dji.com", "深圳"),
    ("顺丰速运有限公司", "SF Express Co., Ltd.", ("顺丰", "顺丰速运"), "sf-express.com", "深圳"),
    ("北京京东世纪贸易有限公司", "Beijing Jingdong Century Trading Co., Ltd.", ("京东", "JD"),
     "jd.com", "北京"),
)

# Trades of family businesses (个体户 / 商行) where father and son share the shop's landline.
FAMILY_TRADES: tuple[str, ...] = (
    "五金", "电器", "服装", "建材", "塑胶", "模具", "灯饰", "茶叶", "水暖", "陶瓷", "布料", "鞋业",
)
FAMILY_KINDS: tuple[str, ...] = ("商行", "经营部", "加工厂", "贸易商行", "有限公司")

# (title, department, weight, honorific used by the people who talk to them)
TITLES: tuple[tuple[str, str, float, str], ...] = (
    ("销售经理", "销售部", 8, "经理"), ("销售总监", "销售部", 3, "总"),
    ("大客户经理", "销售部", 3, "经理"), ("区域经理", "销售部", 3, "经理"),
    ("销售代表", "销售部", 4, ""), ("采购经理", "采购部", 8, "经理"),
    ("采购主管", "采购部", 4, "经理"), ("采购专员", "采购部", 5, ""),
    ("采购总监", "采购部", 2, "总"), ("供应链经理", "供应链管理部", 2, "经理"),
    ("技术总监", "技术部", 3, "总"), ("工程师", "技术部", 6, "工"),
    ("高级工程师", "研发中心", 3, "工"), ("研发经理", "研发中心", 2, "经理"),
    ("项目经理", "项目部", 4, "经理"), ("总经理", "总经办", 5, "总"),
    ("副总经理", "总经办", 3, "总"), ("董事长", "董事会", 1.5, "总"),
    ("总经理助理", "总经办", 2, ""), ("财务经理", "财务部", 3, "经理"),
    ("会计", "财务部", 2, ""), ("行政经理", "行政部", 2, "经理"),
    ("人事经理", "人力资源部", 2, "经理"), ("IT经理", "信息部", 2, "经理"),
    ("网络管理员", "信息部", 1, "工"), ("市场经理", "市场部", 3, "经理"),
    ("市场总监", "市场部", 1.5, "总"), ("品牌经理", "市场部", 1, "经理"),
    ("质量经理", "品质部", 1.5, "经理"), ("厂长", "生产部", 1, "厂长"),
    ("店长", "门店", 1, "店长"), ("老板", "", 1, "老板"),
)
HONORIFICS_GENDER = {"M": "先生", "F": "女士"}
# Every honorific or title that can end a name field.
HONORIFICS: tuple[str, ...] = (
    "先生", "女士", "小姐", "经理", "总", "工", "总监", "老师", "厂长", "店长", "老板", "主任",
    "經理", "總", "總監", "廠長", "店長", "老闆",
)

# Personal mail providers with weights.
PERSONAL_DOMAINS: tuple[tuple[str, float], ...] = (
    ("qq.com", 34), ("163.com", 22), ("126.com", 10), ("gmail.com", 6), ("foxmail.com", 5),
    ("sina.com", 5), ("hotmail.com", 4), ("outlook.com", 3), ("139.com", 3), ("yeah.net", 2),
    ("sohu.com", 2), ("aliyun.com", 1), ("vip.qq.com", 1), ("vip.163.com", 1),
)
# Same mailbox name at another provider people also hold.
SIBLING_DOMAINS: tuple[tuple[str, str], ...] = (
    ("163.com", "126.com"), ("126.com", "163.com"), ("163.com", "yeah.net"),
    ("qq.com", "foxmail.com"), ("qq.com", "vip.qq.com"), ("foxmail.com", "qq.com"),
    ("gmail.com", "hotmail.com"), ("hotmail.com", "outlook.com"), ("outlook.com", "hotmail.com"),
    ("sina.com", "sina.cn"), ("163.com", "vip.163.com"), ("139.com", "163.com"),
)
DOMAIN_TYPOS: tuple[tuple[str, str], ...] = (
    ("163.com", "163.con"), ("163.com", "136.com"), ("163.com", "163.cn"), ("qq.com", "qq.con"),
    ("qq.com", "qq.cm"), ("qq.com", "qq。com"), ("126.com", "126.con"), ("gmail.com", "gmial.com"),
    ("gmail.com", "gmail.con"), ("hotmail.com", "hotmial.com"), ("foxmail.com", "foxmail.con"),
    ("sina.com", "sina.con"), (".com.cn", ".com"), (".com.cn", ".cn"), (".com", ".con"),
    (".cn", ".com"),
)
SHARED_MAILBOX_LOCALS: tuple[str, ...] = (
    "sales", "info", "service", "purchase", "admin", "hr", "market",
)

TRADESHOW_NOTES: tuple[str, ...] = (
    "", "", "", "", "", "名片", "已加微信", "需回访", "对ERP感兴趣", "老客户", "意向强", "发资料",
    "要报价", "下周约拜访", "展台咨询", "代理商", "经销商", "同行", "2023高交会", "2024工博会",
    "广交会", "CIIF工博会", "已留样品", "约演示", "预算不明", "决策人", "技术对接",
)
FXIAOKE_NOTES: tuple[str, ...] = (
    "", "", "", "", "", "", "", "关键联系人", "决策人", "技术对接人", "已拜访", "年会邀约",
    "对接采购", "需跟进", "老客户转介绍",
)
# fmt: on
