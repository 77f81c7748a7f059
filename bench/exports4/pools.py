"""Pools of names, companies and places for generator 4 (written from scratch, no faker).

Every Chinese character a name can be built from carries its pinyin here, so romanised
spellings, e-mail local parts and IME homophone typos all come from one table.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# Family names with rough frequency weights (per mille of the population, rounded; the
# common ones dominate, so namesakes happen as they do in real lists).
SURNAMES: list[tuple[str, float]] = [
    ("王", 71), ("李", 70), ("张", 67), ("刘", 54), ("陈", 45), ("杨", 31), ("黄", 22),
    ("赵", 20), ("吴", 20), ("周", 19), ("徐", 13), ("孙", 12), ("马", 12), ("朱", 11),
    ("胡", 10), ("郭", 9.7), ("何", 9), ("高", 8.8), ("林", 8.7), ("罗", 8.6), ("郑", 7.5),
    ("梁", 7), ("谢", 6), ("宋", 5.5), ("唐", 5), ("许", 5), ("韩", 4.5), ("冯", 4.5),
    ("邓", 4.5), ("曹", 4.3), ("彭", 4.1), ("曾", 4), ("肖", 4), ("田", 3.6), ("董", 3.5),
    ("袁", 3.4), ("潘", 3.3), ("于", 3.3), ("蒋", 3.2), ("蔡", 3.1), ("余", 3), ("杜", 2.9),
    ("叶", 2.9), ("程", 2.8), ("苏", 2.7), ("魏", 2.7), ("吕", 2.6), ("丁", 2.5), ("任", 2.4),
    ("沈", 2.3), ("姚", 2.2), ("卢", 2.2), ("姜", 2.1), ("崔", 2), ("钟", 2), ("谭", 1.9),
    ("陆", 1.8), ("汪", 1.7), ("范", 1.7), ("金", 1.6), ("石", 1.6), ("廖", 1.5), ("贾", 1.5),
    ("夏", 1.4), ("韦", 1.4), ("付", 1.4), ("方", 1.4), ("白", 1.3), ("邹", 1.3), ("孟", 1.2),
    ("熊", 1.2), ("秦", 1.2), ("邱", 1.2), ("江", 1.2), ("尹", 1.1), ("薛", 1.1), ("闫", 1.1),
    ("段", 1.1), ("雷", 1), ("侯", 1), ("龙", 1), ("史", 1), ("陶", 1), ("黎", 1), ("贺", 1),
    ("顾", 0.9), ("毛", 0.9), ("郝", 0.9), ("龚", 0.9), ("邵", 0.9), ("万", 0.9), ("覃", 0.8),
    ("武", 0.8), ("单", 0.3), ("乐", 0.2), ("欧阳", 0.3), ("司马", 0.05), ("上官", 0.05),
    ("诸葛", 0.05),
]

# Pinyin of every character used in names, companies' brands and cities' short forms.
PINYIN: dict[str, str] = {
    # family names
    "王": "wang", "李": "li", "张": "zhang", "刘": "liu", "陈": "chen", "杨": "yang",
    "黄": "huang", "赵": "zhao", "吴": "wu", "周": "zhou", "徐": "xu", "孙": "sun", "马": "ma",
    "朱": "zhu", "胡": "hu", "郭": "guo", "何": "he", "高": "gao", "林": "lin", "罗": "luo",
    "郑": "zheng", "梁": "liang", "谢": "xie", "宋": "song", "唐": "tang", "许": "xu",
    "韩": "han", "冯": "feng", "邓": "deng", "曹": "cao", "彭": "peng", "曾": "zeng",
    "肖": "xiao", "田": "tian", "董": "dong", "袁": "yuan", "潘": "pan", "于": "yu",
    "蒋": "jiang", "蔡": "cai", "余": "yu", "杜": "du", "叶": "ye", "程": "cheng", "苏": "su",
    "魏": "wei", "吕": "lv", "丁": "ding", "任": "ren", "沈": "shen", "姚": "yao", "卢": "lu",
    "姜": "jiang", "崔": "cui", "钟": "zhong", "谭": "tan", "陆": "lu", "汪": "wang",
    "范": "fan", "金": "jin", "石": "shi", "廖": "liao", "贾": "jia", "夏": "xia", "韦": "wei",
    "付": "fu", "方": "fang", "白": "bai", "邹": "zou", "孟": "meng", "熊": "xiong", "秦": "qin",
    "邱": "qiu", "江": "jiang", "尹": "yin", "薛": "xue", "闫": "yan", "段": "duan", "雷": "lei",
    "侯": "hou", "龙": "long", "史": "shi", "陶": "tao", "黎": "li", "贺": "he", "顾": "gu",
    "毛": "mao", "郝": "hao", "龚": "gong", "邵": "shao", "万": "wan", "覃": "qin", "武": "wu",
    "单": "shan", "乐": "yue", "欧": "ou", "阳": "yang", "司": "si", "上": "shang",
    "官": "guan", "诸": "zhu", "葛": "ge",
    # given-name characters
    "伟": "wei", "强": "qiang", "磊": "lei", "军": "jun", "洋": "yang", "勇": "yong",
    "杰": "jie", "涛": "tao", "明": "ming", "超": "chao", "刚": "gang", "平": "ping",
    "辉": "hui", "鹏": "peng", "华": "hua", "飞": "fei", "鑫": "xin", "波": "bo", "斌": "bin",
    "宇": "yu", "浩": "hao", "凯": "kai", "健": "jian", "俊": "jun", "帆": "fan",
    "旭": "xu", "宁": "ning", "峰": "feng", "建": "jian", "国": "guo", "志": "zhi", "文": "wen",
    "东": "dong", "海": "hai", "晓": "xiao", "春": "chun", "成": "cheng", "亮": "liang",
    "松": "song", "兵": "bing", "毅": "yi", "博": "bo", "然": "ran", "轩": "xuan", "子": "zi",
    "天": "tian", "思": "si", "远": "yuan", "嘉": "jia", "泽": "ze", "睿": "rui", "晨": "chen",
    "振": "zhen", "永": "yong", "荣": "rong", "德": "de", "庆": "qing", "新": "xin",
    "光": "guang", "立": "li", "兴": "xing", "维": "wei", "卫": "wei", "忠": "zhong",
    "家": "jia", "力": "li", "云": "yun", "山": "shan", "芳": "fang", "娜": "na", "秀": "xiu",
    "英": "ying", "敏": "min", "静": "jing", "丽": "li", "艳": "yan", "娟": "juan", "霞": "xia",
    "兰": "lan", "桂": "gui", "燕": "yan", "红": "hong", "梅": "mei", "玲": "ling", "婷": "ting",
    "雪": "xue", "慧": "hui", "琳": "lin", "颖": "ying", "倩": "qian", "莉": "li", "洁": "jie",
    "晶": "jing", "佳": "jia", "怡": "yi", "欣": "xin", "萍": "ping", "璐": "lu", "琴": "qin",
    "月": "yue", "萱": "xuan", "涵": "han", "雨": "yu", "桐": "tong", "梓": "zi", "诗": "shi",
    "婧": "jing", "蕾": "lei", "薇": "wei", "悦": "yue", "馨": "xin", "楠": "nan", "玉": "yu",
    "凤": "feng", "小": "xiao", "丹": "dan", "美": "mei", "淑": "shu", "珍": "zhen",
    "红军": "hongjun", "琪": "qi", "蓉": "rong", "岚": "lan", "彤": "tong", "瑶": "yao",
    "铭": "ming", "锋": "feng", "彬": "bin", "韬": "tao", "亭": "ting", "莹": "ying",
    "玮": "wei", "炜": "wei", "纳": "na", "民": "min", "君": "jun", "章": "zhang",
    "霖": "lin", "智": "zhi", "剑": "jian", "羽": "yu", "彦": "yan", "枫": "feng", "桦": "hua",
    "理": "li", "柳": "liu", "阳光": "yangguang", "杨柳": "yangliu", "良": "liang",
    "亚": "ya", "荣华": "ronghua", "永强": "yongqiang", "书": "shu", "琦": "qi",
}

# Common real given names (the head of the distribution) with weights, then a tail built
# from characters by gender.
GIVEN_COMMON: list[tuple[str, str, float]] = [
    ("伟", "M", 30), ("芳", "F", 25), ("娜", "F", 24), ("秀英", "F", 22), ("敏", "F", 22),
    ("静", "F", 21), ("丽", "F", 18), ("强", "M", 18), ("磊", "M", 17), ("军", "M", 17),
    ("洋", "M", 16), ("勇", "M", 16), ("艳", "F", 15), ("杰", "M", 15), ("娟", "F", 14),
    ("涛", "M", 14), ("明", "M", 13), ("超", "M", 13), ("秀兰", "F", 12), ("霞", "F", 12),
    ("平", "M", 11), ("刚", "M", 11), ("桂英", "F", 10), ("建华", "M", 9), ("建国", "M", 9),
    ("建军", "M", 9), ("海燕", "F", 8), ("晓东", "M", 7), ("志强", "M", 7), ("文杰", "M", 6),
    ("国强", "M", 6), ("红梅", "F", 6), ("丽华", "F", 6), ("小红", "F", 6), ("玉兰", "F", 6),
    ("宇", "M", 6), ("浩", "M", 6), ("鑫", "M", 6), ("欣怡", "F", 5), ("子涵", "F", 5),
    ("梓萱", "F", 5), ("雨桐", "F", 5), ("思远", "M", 4), ("浩然", "M", 5), ("宇轩", "M", 5),
    ("晨", "M", 4), ("婷", "F", 6), ("雪", "F", 5), ("慧", "F", 5), ("颖", "F", 5),
    ("倩", "F", 5), ("琳", "F", 5), ("鹏", "M", 6), ("辉", "M", 6), ("斌", "M", 6),
    ("波", "M", 6), ("峰", "M", 5), ("凯", "M", 5), ("健", "M", 5), ("俊", "M", 5),
    ("亮", "M", 5), ("飞", "M", 5), ("华", "M", 5), ("玲", "F", 5), ("燕", "F", 5),
    ("红", "F", 5), ("梅", "F", 5), ("丹", "F", 5), ("萍", "F", 5), ("洁", "F", 4),
    ("佳", "F", 4), ("晶", "F", 4), ("莉", "F", 4), ("琴", "F", 4), ("兰", "F", 4),
    ("桂兰", "F", 4), ("凤英", "F", 3), ("淑珍", "F", 3), ("玉珍", "F", 3), ("美玲", "F", 3),
    ("永强", "M", 3), ("卫东", "M", 3), ("振华", "M", 3), ("德明", "M", 3), ("国庆", "M", 3),
    ("建平", "M", 3), ("立新", "M", 3), ("志明", "M", 3), ("海波", "M", 3), ("春华", "F", 3),
    ("晓燕", "F", 3), ("晓丽", "F", 3), ("晓明", "M", 3), ("家豪", "M", 2), ("嘉欣", "F", 2),
    ("诗涵", "F", 2), ("梓涵", "F", 2), ("子轩", "M", 2), ("浩宇", "M", 2), ("思琪", "F", 2),
    ("雨萱", "F", 2), ("一鸣", "M", 1), ("天佑", "M", 1), ("亚楠", "F", 2), ("雅琴", "F", 1),
]
for _n, _g, _w in GIVEN_COMMON:
    for _ch in _n:
        PINYIN.setdefault(_ch, {"一": "yi", "鸣": "ming", "佑": "you", "豪": "hao",
                                "雅": "ya"}.get(_ch, ""))

MALE_CHARS = "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁峰建国志文东海晓春成亮松兵毅博然轩子天思远嘉泽睿晨振永荣德庆新光立兴维卫忠家力云山良书"
FEMALE_CHARS = "芳娜秀英敏静丽艳娟霞兰桂燕红梅玲婷雪慧琳颖倩莉洁晶佳怡欣萍璐琴云月萱涵雨桐梓诗婧蕾薇悦馨楠玉凤小丹美淑珍琪蓉岚彤瑶亚琦"

# Simplified -> traditional for characters that differ (names, companies, places).
TRADITIONAL: dict[str, str] = dict(
    zip(
        "张伟刘陈杨黄赵吴孙马罗郑谢许韩冯邓龚钟卢顾叶苏吕陆贺邹闫龙万韦丽军杰涛华飞辉鹏凯帅宁"
        "国东晓兴维卫荣庆云兰艳红颖洁诗凤静贸易电网络发展实业广莞无锡长郑沈连厦门贵乌鲁齐区"
        "号楼银医药环机设备车际传软数据应链气装饰设咨询务纺织钢铁资证险团术讯达丰宝汇鸿业东"
        "岚锋韬莹玮炜纳君剑枫桦书亚乐单欧诸葛汤杭苏宁湾滨",
        "張偉劉陳楊黃趙吳孫馬羅鄭謝許韓馮鄧龔鍾盧顧葉蘇呂陸賀鄒閆龍萬韋麗軍傑濤華飛輝鵬凱帥寧"
        "國東曉興維衛榮慶雲蘭艷紅穎潔詩鳳靜貿易電網絡發展實業廣莞無錫長鄭瀋連廈門貴烏魯齊區"
        "號樓銀醫藥環機設備車際傳軟數據應鏈氣裝飾設諮詢務紡織鋼鐵資證險團術訊達豐寶匯鴻業東"
        "嵐鋒韜瑩瑋煒納君劍楓樺書亞樂單歐諸葛湯杭蘇寧灣濱",
        strict=True,
    )
)

# Hong Kong / Cantonese and Wade-Giles spellings of family names.
SURNAME_ROMAN_ALT: dict[str, list[str]] = {
    "王": ["Wong"], "张": ["Cheung", "Chang"], "李": ["Lee"], "陈": ["Chan"],
    "黄": ["Wong", "Hwang"], "刘": ["Lau"], "林": ["Lam"], "吴": ["Ng", "Woo"],
    "周": ["Chow", "Chou"], "郑": ["Cheng"], "梁": ["Leung"], "何": ["Ho"], "胡": ["Woo"],
    "郭": ["Kwok"], "谢": ["Tse", "Hsieh"], "杨": ["Yeung"], "赵": ["Chiu", "Chao"],
    "徐": ["Tsui", "Hsu"], "孙": ["Suen"], "朱": ["Chu"], "高": ["Ko", "Kao"],
    "罗": ["Law", "Lo"], "曾": ["Tsang"], "邓": ["Tang"], "冯": ["Fung"], "蔡": ["Choi", "Tsai"],
    "许": ["Hui", "Hsu"], "叶": ["Yip", "Yeh"], "苏": ["So"], "江": ["Kong", "Chiang"],
    "钟": ["Chung"], "袁": ["Yuen"], "潘": ["Poon"], "彭": ["Pang"], "唐": ["Tong"],
    "邹": ["Chau"], "卢": ["Lo"], "魏": ["Ngai"], "蒋": ["Chiang"], "丁": ["Ting"],
    "吕": ["Lui", "Lu"], "余": ["Yue"], "宋": ["Sung"], "韩": ["Hon"], "沈": ["Shum"],
}

# Extra homophones / near-homophones a pinyin IME offers (fuzzy zh/z, eng/en, in/ing).
HOMOPHONE_EXTRA: dict[str, str] = {
    "张": "章", "王": "汪", "徐": "许", "杨": "阳", "林": "琳", "陈": "程", "李": "黎",
    "伟": "玮炜为", "娜": "纳", "敏": "民", "静": "晶婧", "丽": "莉立力", "军": "君俊",
    "杰": "洁", "明": "铭", "峰": "锋枫", "斌": "彬", "涛": "韬", "婷": "亭", "颖": "莹英",
    "欣": "鑫新馨", "宇": "雨玉羽", "建": "健剑", "志": "智", "华": "桦", "燕": "艳彦",
    "晓": "小", "磊": "蕾", "强": "墙", "刚": "钢", "平": "萍", "辉": "晖", "红": "宏",
    "芳": "方", "霞": "侠", "琴": "勤", "玲": "铃", "慧": "惠", "梅": "玫", "兰": "岚",
}
for _s in "为晖宏方侠勤铃惠玫钢墙":
    PINYIN.setdefault(_s, "")

ENGLISH_NAMES_M = [
    "Tony", "Jack", "Kevin", "David", "Michael", "Eric", "Jason", "Leo", "Peter", "Frank",
    "Allen", "Steven", "Vincent", "Sam", "Ben", "Andy", "Jimmy", "Ray", "Roy", "Jerry",
    "Bruce", "Alex", "Henry", "Simon", "Kelvin",
]
ENGLISH_NAMES_F = [
    "Lily", "Amy", "Linda", "Cindy", "Grace", "Emma", "Vivian", "Cherry", "Helen", "Nancy",
    "Sophia", "Angela", "Wendy", "Jessica", "Candy", "Coco", "Tina", "Kelly", "Sherry", "Joyce",
    "Irene", "Ivy", "Jenny", "Sunny", "Fiona",
]

WECHAT_NICKS = [
    "阳光", "追梦人", "平安是福", "海阔天空", "🍀静待花开", "A-", "简单", "随缘", "~", "一路向北",
    "大海", "微笑👍", "Sunshine", "✨", "心若向阳", "老", "淡定", "静水流深", "知足常乐", "🌸",
    "A0", "好运来", "。", "Mr.", "小", "木子", "晨曦", "行者", "风轻云淡", "努力ing",
]

TITLES = [
    ("总经理", "General Manager"), ("副总经理", "Deputy General Manager"),
    ("销售经理", "Sales Manager"), ("销售总监", "Sales Director"), ("采购经理", "Purchasing Manager"),
    ("采购专员", "Buyer"), ("市场经理", "Marketing Manager"), ("市场专员", "Marketing Specialist"),
    ("技术总监", "CTO"), ("工程师", "Engineer"), ("高级工程师", "Senior Engineer"),
    ("项目经理", "Project Manager"), ("财务经理", "Finance Manager"), ("行政主管", "Admin Supervisor"),
    ("人事经理", "HR Manager"), ("总裁助理", "Assistant to President"), ("董事长", "Chairman"),
    ("区域经理", "Regional Manager"), ("大客户经理", "Key Account Manager"), ("运营总监", "COO"),
    ("IT经理", "IT Manager"), ("产品经理", "Product Manager"), ("客服主管", "Service Supervisor"),
    ("部门经理", "Department Manager"), ("主管", "Supervisor"),
]
DEPARTMENTS = [
    "销售部", "市场部", "采购部", "技术部", "研发中心", "财务部", "行政部", "人力资源部", "总经办",
    "信息部", "运营部", "客服部", "供应链管理部", "项目部", "大客户部", "华东区", "华南区",
]


@dataclass(frozen=True)
class City:
    name: str  # 北京
    province: str  # 北京市 / 广东省
    pinyin: str  # Beijing
    area: str  # 010
    districts: tuple[str, ...]


CITIES: list[tuple[City, float]] = [
    (City("北京", "北京市", "Beijing", "010", ("朝阳区", "海淀区", "东城区", "西城区", "丰台区", "大兴区")), 12),
    (City("上海", "上海市", "Shanghai", "021", ("浦东新区", "徐汇区", "长宁区", "静安区", "闵行区", "黄浦区")), 12),
    (City("广州", "广东省", "Guangzhou", "020", ("天河区", "越秀区", "海珠区", "番禺区", "白云区")), 7),
    (City("深圳", "广东省", "Shenzhen", "0755", ("南山区", "福田区", "罗湖区", "宝安区", "龙岗区")), 8),
    (City("杭州", "浙江省", "Hangzhou", "0571", ("西湖区", "滨江区", "余杭区", "上城区", "拱墅区")), 5),
    (City("南京", "江苏省", "Nanjing", "025", ("鼓楼区", "玄武区", "建邺区", "江宁区", "秦淮区")), 4),
    (City("苏州", "江苏省", "Suzhou", "0512", ("工业园区", "姑苏区", "吴中区", "虎丘区")), 4),
    (City("成都", "四川省", "Chengdu", "028", ("武侯区", "锦江区", "高新区", "青羊区", "成华区")), 5),
    (City("重庆", "重庆市", "Chongqing", "023", ("渝中区", "江北区", "渝北区", "南岸区")), 4),
    (City("武汉", "湖北省", "Wuhan", "027", ("江汉区", "武昌区", "洪山区", "汉阳区")), 4),
    (City("西安", "陕西省", "Xi'an", "029", ("雁塔区", "碑林区", "未央区", "高新区")), 3),
    (City("天津", "天津市", "Tianjin", "022", ("和平区", "河西区", "南开区", "滨海新区")), 3),
    (City("长沙", "湖南省", "Changsha", "0731", ("岳麓区", "芙蓉区", "天心区", "开福区")), 3),
    (City("郑州", "河南省", "Zhengzhou", "0371", ("金水区", "二七区", "郑东新区", "中原区")), 3),
    (City("青岛", "山东省", "Qingdao", "0532", ("市南区", "市北区", "崂山区", "黄岛区")), 2),
    (City("济南", "山东省", "Jinan", "0531", ("历下区", "市中区", "槐荫区", "天桥区")), 2),
    (City("沈阳", "辽宁省", "Shenyang", "024", ("和平区", "沈河区", "皇姑区", "浑南区")), 2),
    (City("大连", "辽宁省", "Dalian", "0411", ("中山区", "西岗区", "沙河口区", "甘井子区")), 2),
    (City("厦门", "福建省", "Xiamen", "0592", ("思明区", "湖里区", "集美区")), 2),
    (City("福州", "福建省", "Fuzhou", "0591", ("鼓楼区", "台江区", "仓山区")), 2),
    (City("合肥", "安徽省", "Hefei", "0551", ("蜀山区", "包河区", "庐阳区", "政务区")), 2),
    (City("昆明", "云南省", "Kunming", "0871", ("五华区", "盘龙区", "官渡区", "西山区")), 1.5),
    (City("南昌", "江西省", "Nanchang", "0791", ("东湖区", "西湖区", "红谷滩区")), 1.5),
    (City("宁波", "浙江省", "Ningbo", "0574", ("海曙区", "鄞州区", "江北区", "北仑区")), 2),
    (City("无锡", "江苏省", "Wuxi", "0510", ("梁溪区", "滨湖区", "新吴区")), 2),
    (City("东莞", "广东省", "Dongguan", "0769", ("南城街道", "东城街道", "长安镇", "虎门镇")), 2),
    (City("佛山", "广东省", "Foshan", "0757", ("禅城区", "南海区", "顺德区")), 2),
    (City("哈尔滨", "黑龙江省", "Harbin", "0451", ("南岗区", "道里区", "香坊区")), 1.2),
    (City("长春", "吉林省", "Changchun", "0431", ("朝阳区", "南关区", "绿园区")), 1),
    (City("石家庄", "河北省", "Shijiazhuang", "0311", ("长安区", "桥西区", "裕华区")), 1),
    (City("太原", "山西省", "Taiyuan", "0351", ("小店区", "迎泽区", "杏花岭区")), 1),
    (City("南宁", "广西壮族自治区", "Nanning", "0771", ("青秀区", "兴宁区", "西乡塘区")), 1),
    (City("贵阳", "贵州省", "Guiyang", "0851", ("南明区", "云岩区", "观山湖区")), 1),
    (City("兰州", "甘肃省", "Lanzhou", "0931", ("城关区", "七里河区", "安宁区")), 0.7),
    (City("乌鲁木齐", "新疆维吾尔自治区", "Urumqi", "0991", ("天山区", "沙依巴克区", "新市区")), 0.5),
    (City("海口", "海南省", "Haikou", "0898", ("龙华区", "美兰区", "秀英区")), 0.5),
]

STREETS = [
    "建国路", "中山路", "人民路", "解放路", "科技园路", "长江路", "黄河路", "创业大道", "高新大道",
    "滨江大道", "世纪大道", "南京路", "淮海路", "深南大道", "天府大道", "学院路", "文化路",
    "和平路", "新华路", "金融街", "软件园路", "工业大道", "花园路", "东风路", "光明路",
]
BUILDINGS = [
    "国贸大厦", "科技大厦", "金融中心", "创新园", "软件园", "商务中心", "广场", "写字楼", "产业园",
    "国际中心", "时代广场", "财富中心", "万达广场", "大厦",
]

# Brands: Chinese word, pinyin for domains / English names.
BRANDS: list[tuple[str, str]] = [
    ("华信", "Huaxin"), ("恒通", "Hengtong"), ("天成", "Tiancheng"), ("中科", "Zhongke"),
    ("金桥", "Jinqiao"), ("宏达", "Hongda"), ("东方", "Dongfang"), ("瑞丰", "Ruifeng"),
    ("鼎盛", "Dingsheng"), ("新元", "Xinyuan"), ("博远", "Boyuan"), ("卓越", "Zhuoyue"),
    ("远航", "Yuanhang"), ("汇智", "Huizhi"), ("联创", "Lianchuang"), ("永泰", "Yongtai"),
    ("嘉禾", "Jiahe"), ("海纳", "Haina"), ("正邦", "Zhengbang"), ("九州", "Jiuzhou"),
    ("长城", "Changcheng"), ("蓝海", "Lanhai"), ("星辰", "Xingchen"), ("宏图", "Hongtu"),
    ("华美", "Huamei"), ("合力", "Heli"), ("兴业", "Xingye"), ("同创", "Tongchuang"),
    ("润和", "Runhe"), ("锦程", "Jincheng"), ("安泰", "Antai"), ("凯达", "Kaida"),
    ("鸿运", "Hongyun"), ("中天", "Zhongtian"), ("天宇", "Tianyu"), ("中瑞", "Zhongrui"),
    ("德润", "Derun"), ("光明", "Guangming"), ("万达", "Wanda"), ("银河", "Yinhe"),
    ("先锋", "Xianfeng"), ("创维", "Chuangwei"), ("智联", "Zhilian"), ("云图", "Yuntu"),
    ("数智", "Shuzhi"), ("腾飞", "Tengfei"), ("众合", "Zhonghe"), ("亿达", "Yida"),
    ("信达", "Xinda"), ("盛世", "Shengshi"), ("明德", "Mingde"), ("科瑞", "Kerui"),
    ("晨光", "Chenguang"), ("华通", "Huatong"), ("普利", "Puli"), ("威视", "Weishi"),
    ("康泰", "Kangtai"), ("源通", "Yuantong"), ("捷安", "Jiean"), ("佳和", "Jiahe2"),
]
INDUSTRIES: list[tuple[str, str]] = [
    ("科技", "Technology"), ("信息技术", "Information Technology"), ("网络科技", "Network Technology"),
    ("贸易", "Trading"), ("电子", "Electronics"), ("机械设备", "Machinery"), ("医疗器械", "Medical Devices"),
    ("软件", "Software"), ("物流", "Logistics"), ("实业", "Industrial"), ("电气", "Electric"),
    ("新能源", "New Energy"), ("生物科技", "Biotech"), ("建设工程", "Construction Engineering"),
    ("管理咨询", "Management Consulting"), ("供应链管理", "Supply Chain Management"),
    ("智能装备", "Intelligent Equipment"), ("环保科技", "Environmental Technology"),
    ("食品", "Foods"), ("化工", "Chemical"), ("汽车零部件", "Auto Parts"), ("传媒", "Media"),
    ("教育科技", "Education Technology"), ("数据服务", "Data Services"), ("包装材料", "Packaging Materials"),
]

# Large well-known employers (many staff in the lists: the namesakes live here).
BIG_COMPANIES: list[tuple[str, str, str, str, str]] = [
    # legal name, short forms ("|"-separated), English, domain, city
    ("阿里巴巴(中国)有限公司", "阿里巴巴|阿里", "Alibaba (China) Co., Ltd.", "alibaba-inc.com", "杭州"),
    ("华为技术有限公司", "华为", "Huawei Technologies Co., Ltd.", "huawei.com", "深圳"),
    ("腾讯科技(深圳)有限公司", "腾讯", "Tencent Technology (Shenzhen) Co., Ltd.", "tencent.com", "深圳"),
    ("北京京东世纪贸易有限公司", "京东|京东集团", "JD.com", "jd.com", "北京"),
    ("百度在线网络技术(北京)有限公司", "百度", "Baidu", "baidu.com", "北京"),
    ("小米科技有限责任公司", "小米|小米公司", "Xiaomi Inc.", "xiaomi.com", "北京"),
    ("比亚迪股份有限公司", "比亚迪", "BYD Company Limited", "byd.com", "深圳"),
    ("美的集团股份有限公司", "美的|美的集团", "Midea Group Co., Ltd.", "midea.com", "佛山"),
    ("联想(北京)有限公司", "联想", "Lenovo (Beijing) Ltd.", "lenovo.com", "北京"),
    ("中兴通讯股份有限公司", "中兴|中兴通讯", "ZTE Corporation", "zte.com.cn", "深圳"),
    ("万科企业股份有限公司", "万科", "China Vanke Co., Ltd.", "vanke.com", "深圳"),
    ("珠海格力电器股份有限公司", "格力|格力电器", "Gree Electric Appliances, Inc. of Zhuhai", "gree.com.cn", "广州"),
    ("招商银行股份有限公司", "招商银行|招行", "China Merchants Bank Co., Ltd.", "cmbchina.com", "深圳"),
    ("网易(杭州)网络有限公司", "网易", "NetEase (Hangzhou) Network Co., Ltd.", "corp.netease.com", "杭州"),
    ("中国平安保险(集团)股份有限公司", "平安|中国平安|平安集团", "Ping An Insurance (Group) Company of China, Ltd.", "pingan.com.cn", "深圳"),
    ("海尔集团公司", "海尔|海尔集团", "Haier Group", "haier.com", "青岛"),
    ("上海汽车集团股份有限公司", "上汽|上汽集团", "SAIC Motor Corporation Limited", "saicmotor.com", "上海"),
    ("顺丰速运有限公司", "顺丰|顺丰速运", "SF Express Co., Ltd.", "sf-express.com", "深圳"),
]

FREE_MAIL = [("qq.com", 40), ("163.com", 25), ("126.com", 10), ("sina.com", 5), ("gmail.com", 6),
             ("foxmail.com", 5), ("hotmail.com", 4), ("139.com", 3), ("yahoo.com.cn", 1),
             ("aliyun.com", 1)]

MOBILE_PREFIXES = [
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "147", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "166", "173", "176", "177", "180", "181",
    "182", "183", "185", "186", "187", "188", "189", "191", "198", "199",
]


@dataclass
class Company:
    legal: str
    shorts: list[str]
    english: str
    domain: str
    city: City
    big: bool
    switchboard: str  # 8-digit local number
    frontdesk_mobile: str | None = None
    hotline_400: str | None = None
    email_style: str = "full"
    street: str = ""
    branches: list[City] = field(default_factory=list)


def weighted(rng: random.Random, items: list[tuple[object, float]]) -> object:
    total = sum(w for _, w in items)
    x = rng.random() * total
    for item, w in items:
        x -= w
        if x <= 0:
            return item
    return items[-1][0]


def city_by_name(name: str) -> City:
    for c, _ in CITIES:
        if c.name == name:
            return c
    raise KeyError(name)
