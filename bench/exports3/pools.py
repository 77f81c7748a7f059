"""Word pools: surnames, given-name characters, cities, company parts, titles, mail hosts.

Given-name and trade-name characters are grouped by their pinyin, so the same table gives a
character's romanisation and its homophones (the characters a typist or an IME swaps in).
Weights are rough shares, not census figures: enough to make 王/李/张 common and 欧阳 rare.
"""

from __future__ import annotations

from typing import NamedTuple


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


class Surname(NamedTuple):
    chars: str
    pinyin: str
    weight: float


_SURNAMES = """
王 wang 7.1|李 li 7.0|张 zhang 6.6|刘 liu 5.4|陈 chen 4.6|杨 yang 3.1|黄 huang 2.5|赵 zhao 2.3
吴 wu 2.0|周 zhou 1.9|徐 xu 1.5|孙 sun 1.5|马 ma 1.4|朱 zhu 1.3|胡 hu 1.3|郭 guo 1.1|何 he 1.1
林 lin 1.0|高 gao 1.0|罗 luo 0.9|郑 zheng 0.9|梁 liang 0.9|谢 xie 0.8|宋 song 0.7|唐 tang 0.7
许 xu 0.7|韩 han 0.7|冯 feng 0.7|邓 deng 0.7|曹 cao 0.6|彭 peng 0.6|曾 zeng 0.6|肖 xiao 0.6
田 tian 0.6|董 dong 0.5|袁 yuan 0.5|潘 pan 0.5|于 yu 0.5|蒋 jiang 0.5|蔡 cai 0.5|余 yu 0.5
杜 du 0.5|叶 ye 0.5|程 cheng 0.5|苏 su 0.4|魏 wei 0.4|吕 lv 0.4|丁 ding 0.4|任 ren 0.4
沈 shen 0.4|姚 yao 0.4|卢 lu 0.4|姜 jiang 0.4|崔 cui 0.3|钟 zhong 0.3|谭 tan 0.3|陆 lu 0.3
汪 wang 0.3|范 fan 0.3|金 jin 0.3|石 shi 0.3|廖 liao 0.3|贾 jia 0.3|夏 xia 0.3|韦 wei 0.3
付 fu 0.3|方 fang 0.3|白 bai 0.3|邹 zou 0.3|孟 meng 0.3|熊 xiong 0.3|秦 qin 0.3|邱 qiu 0.3
江 jiang 0.3|尹 yin 0.3|薛 xue 0.2|闫 yan 0.2|段 duan 0.2|雷 lei 0.2|侯 hou 0.2|龙 long 0.2
史 shi 0.2|陶 tao 0.2|黎 li 0.2|贺 he 0.2|顾 gu 0.2|毛 mao 0.2|郝 hao 0.2|龚 gong 0.2
邵 shao 0.2|万 wan 0.2|钱 qian 0.2|严 yan 0.2|覃 qin 0.2|武 wu 0.2|戴 dai 0.2|莫 mo 0.2
孔 kong 0.2|向 xiang 0.2|汤 tang 0.2|常 chang 0.2|温 wen 0.1|康 kang 0.1|施 shi 0.1|文 wen 0.1
牛 niu 0.1|樊 fan 0.1|葛 ge 0.1|邢 xing 0.1|安 an 0.1|齐 qi 0.1|易 yi 0.1|乔 qiao 0.1
伍 wu 0.1|庞 pang 0.1|颜 yan 0.1|倪 ni 0.1|庄 zhuang 0.1|聂 nie 0.1|章 zhang 0.1|鲁 lu 0.1
岳 yue 0.1|翟 zhai 0.1|殷 yin 0.1|詹 zhan 0.1|申 shen 0.1|欧 ou 0.1|耿 geng 0.1|关 guan 0.1
兰 lan 0.1|焦 jiao 0.1|俞 yu 0.1|左 zuo 0.1|柳 liu 0.1|甘 gan 0.1|祝 zhu 0.1|包 bao 0.1
宁 ning 0.1|尚 shang 0.1|符 fu 0.1|舒 shu 0.1|阮 ruan 0.1|柯 ke 0.1|纪 ji 0.1|梅 mei 0.1
童 tong 0.1|凌 ling 0.1|毕 bi 0.1|单 shan 0.1|季 ji 0.1|裴 pei 0.1|霍 huo 0.1|涂 tu 0.1
成 cheng 0.1|苗 miao 0.1|谷 gu 0.1|盛 sheng 0.1|曲 qu 0.1|翁 weng 0.1|冉 ran 0.1|骆 luo 0.1
蓝 lan 0.1|路 lu 0.1|游 you 0.1|辛 xin 0.1|靳 jin 0.1|管 guan 0.1|柴 chai 0.1|鲍 bao 0.1
华 hua 0.1|喻 yu 0.1|祁 qi 0.1|房 fang 0.1|滕 teng 0.1|屈 qu 0.1|饶 rao 0.1|解 xie 0.05
艾 ai 0.05|尤 you 0.05|时 shi 0.05|穆 mu 0.05|卓 zhuo 0.05|古 gu 0.05|缪 miao 0.05|车 che 0.05
项 xiang 0.05|连 lian 0.05|麦 mai 0.05|褚 chu 0.05|娄 lou 0.05|窦 dou 0.05|戚 qi 0.05|岑 cen 0.05
景 jing 0.05|党 dang 0.05|费 fei 0.05|卜 bu 0.05|冷 leng 0.05|晏 yan 0.05|卫 wei 0.05|宗 zong 0.05
仇 qiu 0.05|查 zha 0.05|佟 tong 0.05|邝 kuang 0.05|区 ou 0.03|朴 piao 0.03|阎 yan 0.05|虞 yu 0.05
欧阳 ouyang 0.03|司马 sima 0.01|上官 shangguan 0.01|诸葛 zhuge 0.01|司徒 situ 0.01
东方 dongfang 0.005|皇甫 huangfu 0.005|慕容 murong 0.003|令狐 linghu 0.003|夏侯 xiahou 0.003
端木 duanmu 0.003|公孙 gongsun 0.003|尉迟 yuchi 0.002|南宫 nangong 0.002|宇文 yuwen 0.002
"""


def _parse_surnames() -> tuple[Surname, ...]:
    out: list[Surname] = []
    for cell in _SURNAMES.replace("\n", "|").split("|"):
        cell = cell.strip()
        if not cell:
            continue
        chars, pinyin, weight = cell.split()
        out.append(Surname(chars, pinyin, float(weight)))
    return tuple(out)


SURNAMES: tuple[Surname, ...] = _parse_surnames()

# Surnames a listener or an IME confuses: same or near-same sound.
SURNAME_SOUNDALIKES: tuple[str, ...] = (
    "张章",
    "王汪",
    "刘柳",
    "杨阳",
    "吴伍武",
    "徐许",
    "朱祝",
    "何贺",
    "罗骆",
    "于余俞虞",
    "肖萧",
    "程成",
    "袁元",
    "付傅符",
    "蒋姜江",
    "魏卫韦",
    "严颜阎闫",
    "石史施时",
    "陆路卢鲁",
    "邱仇",
    "钟仲",
    "冯封",
    "林凌",
    "黄王",
)

# Given-name characters by pinyin; M leans male, F female, N either. The first character of a
# group is the common one.
_GIVEN = """
M wei 伟玮炜威|M jun 军俊君骏|M qiang 强|M lei 磊雷|M yong 勇永|M jie 杰捷|M tao 涛韬
M ming 明铭鸣|M chao 超|M gang 刚钢|M hui 辉晖|M jian 建健剑|M peng 鹏|M hao 浩昊皓
M bin 斌彬滨|M long 龙|M feng 峰锋|M kai 凯楷|M bo 波博|M guo 国|M zhi 志智|M yu 宇煜禹
M xiang 翔祥|M dong 东栋|M hai 海|M liang 亮|M fei 飞|M xin 鑫|M tian 天|M cheng 成诚
M rui 瑞睿锐|M zhe 哲|M yang 阳洋|M hong 宏鸿|M bing 兵|M kang 康|M sheng 胜晟|M zhen 振震
M de 德|M shan 山|M yi 毅|M qing 庆|M guang 光|M zheng 正|M fa 发|M shun 顺|M wu 武
M xue 学|M song 松|M bao 宝|M fu 福富|M xuan 轩|M yuan 远源|M hang 航|M jun 峻|M lin 霖
M ze 泽|M hua 华|M wen 文|M ping 平|M an 安|M chen 晨辰|M zi 子梓|M jia 嘉|M xiao 晓
F fang 芳|F na 娜|F min 敏|F jing 静晶婧|F li 丽莉|F yan 艳燕妍|F juan 娟|F xia 霞
F ying 英颖莹|F hong 红虹|F mei 梅美|F lan 兰岚|F qin 琴|F yun 云芸|F ping 萍|F ting 婷
F xue 雪|F qian 倩茜|F ling 玲|F lin 琳|F hui 慧惠|F jie 洁|F xin 欣馨|F yi 怡仪|F qi 琪琦
F lu 露璐|F dan 丹|F shan 珊|F wei 薇|F yue 月悦|F xiao 晓筱|F chen 晨|F jia 佳|F meng 梦萌
F si 思|F yu 雨玉|F rong 蓉|F qing 青清|F shu 淑|F fen 芬|F xiu 秀|F zhen 珍|F cui 翠
F ni 妮|F han 涵晗|F xuan 萱璇|F zi 紫|F ya 雅|F shuang 爽|F jiao 娇|F yao 瑶|F hua 华
F wen 雯|F ning 宁|F yan 妍|F jun 君|F li 莉|F ping 平|F hong 虹
"""


class GivenGroup(NamedTuple):
    gender: str
    pinyin: str
    chars: str


def _parse_given() -> tuple[GivenGroup, ...]:
    out: list[GivenGroup] = []
    for cell in _GIVEN.replace("\n", "|").split("|"):
        cell = cell.strip()
        if cell:
            gender, pinyin, chars = cell.split()
            out.append(GivenGroup(gender, pinyin, chars))
    return tuple(out)


GIVEN_GROUPS: tuple[GivenGroup, ...] = _parse_given()
MALE_GIVEN = tuple(g for g in GIVEN_GROUPS if g.gender == "M")
FEMALE_GIVEN = tuple(g for g in GIVEN_GROUPS if g.gender == "F")

# Every character a given name may hold, with its pinyin; and homophone sets across groups.
CHAR_PINYIN: dict[str, str] = {}
HOMOPHONES: dict[str, str] = {}


def _index_chars() -> None:
    by_sound: dict[str, list[str]] = {}
    for group in GIVEN_GROUPS:
        for ch in group.chars:
            CHAR_PINYIN.setdefault(ch, group.pinyin)
            bucket = by_sound.setdefault(group.pinyin, [])
            if ch not in bucket:
                bucket.append(ch)
    for sound in sorted(by_sound):
        chars = by_sound[sound]
        for ch in chars:
            others = "".join(c for c in chars if c != ch)
            if others:
                HOMOPHONES[ch] = others


_index_chars()

# Characters that look alike (OCR and hurried typing).
LOOKALIKES: dict[str, str] = {
    "己": "已巳",
    "已": "己",
    "未": "末",
    "末": "未",
    "王": "玉",
    "玉": "王",
    "土": "士",
    "士": "土",
    "日": "曰",
    "人": "入",
    "入": "人",
    "天": "夭",
    "大": "太",
    "太": "大",
    "问": "间",
    "候": "侯",
    "侯": "候",
    "鸣": "呜",
    "斌": "武",
    "晴": "睛",
    "洁": "沽",
    "辉": "晖",
    "燕": "艳",
    "娟": "涓",
    "涛": "祷",
    "锋": "峰",
    "杨": "扬",
    "扬": "杨",
    "刚": "钢",
    "丽": "俪",
    "静": "争",
    "明": "朋",
    "军": "车",
}

# Chinese colleagues' chosen English names.
ENGLISH_MALE: tuple[str, ...] = _words(
    "David Kevin Jack Tony Eric Jason Michael Peter Frank Leo Vincent Steven Alan Andy Ben "
    "Sam Ryan Terry Allen Bruce Charles Daniel Edward Henry James John Johnson Kent Louis "
    "Mark Martin Nick Oscar Paul Ray Roger Simon Tom Victor William Jimmy Jerry Sunny Lucas"
)
ENGLISH_FEMALE: tuple[str, ...] = _words(
    "Lily Amy Cathy Grace Helen Linda Jenny Sophia Vivian Cindy Coco Echo Sunny Wendy Crystal "
    "Tina Iris Joy Emma Anna Alice Annie Bella Candy Cherry Daisy Elaine Fiona Gloria Ivy "
    "Jessica Judy Kelly Lisa Maggie Mandy Nancy Rita Sandy Shirley Stella Tracy Yoyo Zoe"
)


class City(NamedTuple):
    name: str  # 深圳 (no 市)
    province: str  # 广东省; a municipality names itself: 北京市
    area_code: str  # 0755
    local_digits: int  # length of a local landline number
    zip: str  # 518000
    pinyin: str  # Shenzhen
    province_py: str  # Guangdong
    districts: tuple[str, ...]
    weight: float


def _city(
    name: str,
    province: str,
    code: str,
    digits: int,
    zip_code: str,
    py: str,
    ppy: str,
    districts: str,
    weight: float,
) -> City:
    return City(name, province, code, digits, zip_code, py, ppy, tuple(districts.split()), weight)


CITIES: tuple[City, ...] = (
    _city(
        "北京",
        "北京市",
        "010",
        8,
        "100000",
        "Beijing",
        "Beijing",
        "朝阳区 海淀区 东城区 西城区 丰台区 大兴区 顺义区 昌平区",
        9.0,
    ),
    _city(
        "上海",
        "上海市",
        "021",
        8,
        "200000",
        "Shanghai",
        "Shanghai",
        "浦东新区 徐汇区 静安区 长宁区 闵行区 嘉定区 松江区 杨浦区",
        10.0,
    ),
    _city(
        "天津",
        "天津市",
        "022",
        8,
        "300000",
        "Tianjin",
        "Tianjin",
        "和平区 河西区 南开区 滨海新区 西青区",
        2.0,
    ),
    _city(
        "重庆",
        "重庆市",
        "023",
        8,
        "400000",
        "Chongqing",
        "Chongqing",
        "渝中区 江北区 渝北区 九龙坡区 南岸区",
        2.0,
    ),
    _city(
        "广州",
        "广东省",
        "020",
        8,
        "510000",
        "Guangzhou",
        "Guangdong",
        "天河区 越秀区 海珠区 白云区 番禺区 黄埔区",
        6.0,
    ),
    _city(
        "深圳",
        "广东省",
        "0755",
        8,
        "518000",
        "Shenzhen",
        "Guangdong",
        "南山区 福田区 罗湖区 宝安区 龙岗区 龙华区",
        8.0,
    ),
    _city(
        "东莞",
        "广东省",
        "0769",
        8,
        "523000",
        "Dongguan",
        "Guangdong",
        "南城街道 东城街道 长安镇 虎门镇 松山湖",
        3.0,
    ),
    _city(
        "佛山", "广东省", "0757", 8, "528000", "Foshan", "Guangdong", "禅城区 南海区 顺德区", 2.5
    ),
    _city(
        "中山",
        "广东省",
        "0760",
        8,
        "528400",
        "Zhongshan",
        "Guangdong",
        "石岐区 东区 火炬开发区",
        1.0,
    ),
    _city("珠海", "广东省", "0756", 7, "519000", "Zhuhai", "Guangdong", "香洲区 金湾区", 1.0),
    _city(
        "杭州",
        "浙江省",
        "0571",
        8,
        "310000",
        "Hangzhou",
        "Zhejiang",
        "西湖区 滨江区 余杭区 拱墅区 上城区 萧山区",
        5.0,
    ),
    _city(
        "宁波",
        "浙江省",
        "0574",
        8,
        "315000",
        "Ningbo",
        "Zhejiang",
        "鄞州区 海曙区 江北区 北仑区",
        2.5,
    ),
    _city(
        "温州",
        "浙江省",
        "0577",
        8,
        "325000",
        "Wenzhou",
        "Zhejiang",
        "鹿城区 龙湾区 瓯海区 乐清市",
        2.0,
    ),
    _city("嘉兴", "浙江省", "0573", 8, "314000", "Jiaxing", "Zhejiang", "南湖区 秀洲区", 1.0),
    _city("绍兴", "浙江省", "0575", 8, "312000", "Shaoxing", "Zhejiang", "越城区 柯桥区", 1.0),
    _city(
        "台州", "浙江省", "0576", 8, "318000", "Taizhou", "Zhejiang", "椒江区 黄岩区 路桥区", 1.0
    ),
    _city(
        "南京",
        "江苏省",
        "025",
        8,
        "210000",
        "Nanjing",
        "Jiangsu",
        "鼓楼区 玄武区 建邺区 江宁区 秦淮区",
        3.5,
    ),
    _city(
        "苏州",
        "江苏省",
        "0512",
        8,
        "215000",
        "Suzhou",
        "Jiangsu",
        "工业园区 姑苏区 吴中区 相城区 虎丘区",
        5.0,
    ),
    _city("无锡", "江苏省", "0510", 8, "214000", "Wuxi", "Jiangsu", "梁溪区 滨湖区 新吴区", 2.0),
    _city(
        "常州", "江苏省", "0519", 8, "213000", "Changzhou", "Jiangsu", "天宁区 武进区 新北区", 1.5
    ),
    _city(
        "成都",
        "四川省",
        "028",
        8,
        "610000",
        "Chengdu",
        "Sichuan",
        "武侯区 锦江区 高新区 青羊区 成华区",
        3.5,
    ),
    _city(
        "武汉",
        "湖北省",
        "027",
        8,
        "430000",
        "Wuhan",
        "Hubei",
        "江汉区 洪山区 武昌区 汉阳区 东湖高新区",
        3.0,
    ),
    _city(
        "西安", "陕西省", "029", 8, "710000", "Xi'an", "Shaanxi", "雁塔区 碑林区 未央区 高新区", 2.5
    ),
    _city(
        "长沙",
        "湖南省",
        "0731",
        8,
        "410000",
        "Changsha",
        "Hunan",
        "岳麓区 芙蓉区 天心区 雨花区",
        2.0,
    ),
    _city(
        "郑州",
        "河南省",
        "0371",
        8,
        "450000",
        "Zhengzhou",
        "Henan",
        "金水区 二七区 中原区 郑东新区",
        2.0,
    ),
    _city(
        "济南",
        "山东省",
        "0531",
        8,
        "250000",
        "Jinan",
        "Shandong",
        "历下区 市中区 槐荫区 高新区",
        1.5,
    ),
    _city(
        "青岛",
        "山东省",
        "0532",
        8,
        "266000",
        "Qingdao",
        "Shandong",
        "市南区 市北区 黄岛区 崂山区 城阳区",
        2.0,
    ),
    _city("烟台", "山东省", "0535", 7, "264000", "Yantai", "Shandong", "芝罘区 莱山区", 0.8),
    _city("厦门", "福建省", "0592", 7, "361000", "Xiamen", "Fujian", "思明区 湖里区 集美区", 1.5),
    _city("福州", "福建省", "0591", 8, "350000", "Fuzhou", "Fujian", "鼓楼区 台江区 仓山区", 1.2),
    _city("泉州", "福建省", "0595", 8, "362000", "Quanzhou", "Fujian", "丰泽区 鲤城区 晋江市", 1.2),
    _city("合肥", "安徽省", "0551", 8, "230000", "Hefei", "Anhui", "蜀山区 包河区 庐阳区", 1.5),
    _city(
        "南昌",
        "江西省",
        "0791",
        8,
        "330000",
        "Nanchang",
        "Jiangxi",
        "东湖区 红谷滩区 青山湖区",
        1.0,
    ),
    _city(
        "沈阳", "辽宁省", "024", 8, "110000", "Shenyang", "Liaoning", "和平区 沈河区 浑南区", 1.2
    ),
    _city(
        "大连", "辽宁省", "0411", 8, "116000", "Dalian", "Liaoning", "中山区 沙河口区 甘井子区", 1.2
    ),
    _city(
        "哈尔滨",
        "黑龙江省",
        "0451",
        8,
        "150000",
        "Harbin",
        "Heilongjiang",
        "南岗区 道里区 香坊区",
        0.8,
    ),
    _city("长春", "吉林省", "0431", 8, "130000", "Changchun", "Jilin", "朝阳区 南关区 绿园区", 0.8),
    _city(
        "石家庄",
        "河北省",
        "0311",
        8,
        "050000",
        "Shijiazhuang",
        "Hebei",
        "长安区 桥西区 裕华区",
        0.8,
    ),
    _city(
        "太原", "山西省", "0351", 7, "030000", "Taiyuan", "Shanxi", "小店区 迎泽区 杏花岭区", 0.6
    ),
    _city(
        "呼和浩特",
        "内蒙古自治区",
        "0471",
        7,
        "010000",
        "Hohhot",
        "Inner Mongolia",
        "新城区 赛罕区",
        0.4,
    ),
    _city("昆明", "云南省", "0871", 8, "650000", "Kunming", "Yunnan", "五华区 盘龙区 官渡区", 0.8),
    _city(
        "贵阳", "贵州省", "0851", 8, "550000", "Guiyang", "Guizhou", "南明区 云岩区 观山湖区", 0.6
    ),
    _city(
        "南宁",
        "广西壮族自治区",
        "0771",
        7,
        "530000",
        "Nanning",
        "Guangxi",
        "青秀区 兴宁区 西乡塘区",
        0.6,
    ),
    _city("海口", "海南省", "0898", 8, "570000", "Haikou", "Hainan", "龙华区 美兰区", 0.4),
    _city("兰州", "甘肃省", "0931", 7, "730000", "Lanzhou", "Gansu", "城关区 七里河区", 0.4),
    _city(
        "乌鲁木齐",
        "新疆维吾尔自治区",
        "0991",
        7,
        "830000",
        "Urumqi",
        "Xinjiang",
        "天山区 沙依巴克区",
        0.3,
    ),
)

# What a city is shortened to in mail domains: szhengxin.com, bj-kerun.com.
CITY_ABBR: dict[str, str] = {
    "北京": "bj",
    "上海": "sh",
    "天津": "tj",
    "重庆": "cq",
    "广州": "gz",
    "深圳": "sz",
    "东莞": "dg",
    "佛山": "fs",
    "中山": "zs",
    "珠海": "zh",
    "杭州": "hz",
    "宁波": "nb",
    "温州": "wz",
    "嘉兴": "jx",
    "绍兴": "sx",
    "台州": "tz",
    "南京": "nj",
    "苏州": "suzhou",
    "无锡": "wx",
    "常州": "cz",
    "成都": "cd",
    "武汉": "wh",
    "西安": "xa",
    "长沙": "cs",
    "郑州": "zz",
    "济南": "jn",
    "青岛": "qd",
    "烟台": "yt",
    "厦门": "xm",
    "福州": "fz",
    "泉州": "qz",
    "合肥": "hf",
    "南昌": "nc",
    "沈阳": "sy",
    "大连": "dl",
    "哈尔滨": "hrb",
    "长春": "cc",
    "石家庄": "sjz",
    "太原": "ty",
    "呼和浩特": "hhht",
    "昆明": "km",
    "贵阳": "gy",
    "南宁": "nn",
    "海口": "hk",
    "兰州": "lz",
    "乌鲁木齐": "wlmq",
}

ROADS: tuple[str, ...] = _words(
    "人民路 解放路 中山路 建设路 科技路 创业路 长江路 黄河路 文化路 新华路 和平路 工业大道 "
    "高新大道 滨江大道 学院路 胜利路 青年路 东风路 光明路 金融街 软件园路 迎宾大道 江南大道 "
    "世纪大道 科苑路 发展大道 振兴路 湖滨路 望江路 创新路 高科路 福田路 沿江路 朝阳路 团结路"
)
BUILDING_SUFFIXES: tuple[str, ...] = (
    "大厦",
    "广场",
    "中心",
    "科技园",
    "国际中心",
    "商务楼",
    "产业园",
)

# Trade-name (字号) characters by pinyin: homophone typos come from the same group.
_BRAND = """
heng 恒衡|xin 信鑫新欣|rui 瑞锐睿|hong 宏鸿弘泓|jin 金锦晋|bo 博铂|tian 天添|lian 联连|zhong 中众忠
hua 华骅|dong 东冬|sheng 盛晟胜|hui 汇惠辉慧|kai 凯恺铠|long 隆龙珑|tai 泰太|jia 嘉佳家|de 德
an 安|ding 鼎|da 达大|tong 通同彤|yuan 源元远|ke 科可|chuang 创|zhi 智志致|he 和合禾|feng 丰峰锋
li 利力立|xiang 祥翔湘|hai 海|yu 宇誉裕煜|hao 昊浩豪|hang 航杭|jie 捷杰|mei 美|cheng 诚成城
zheng 正政|kun 坤|teng 腾|xun 迅讯|yi 亿益毅|wei 威伟维|xing 星兴|ming 明铭|guang 光广|yong 永勇
kang 康|bai 百柏|wan 万|zhuo 卓|yue 越悦跃|qi 启奇琪|chen 辰晨|lan 蓝岚|fu 富福|rong 荣融|shun 顺
ying 英盈赢|jun 骏君俊|peng 鹏|run 润|ze 泽|yang 扬阳洋|ao 奥澳|pu 普浦|sen 森|tuo 拓|nuo 诺
"""


class BrandGroup(NamedTuple):
    pinyin: str
    chars: str


def _parse_brand() -> tuple[BrandGroup, ...]:
    out: list[BrandGroup] = []
    for cell in _BRAND.replace("\n", "|").split("|"):
        cell = cell.strip()
        if cell:
            py, chars = cell.split()
            out.append(BrandGroup(py, chars))
    return tuple(out)


BRAND_GROUPS: tuple[BrandGroup, ...] = _parse_brand()
BRAND_HOMOPHONES: dict[str, str] = {}
for _g in BRAND_GROUPS:
    for _c in _g.chars:
        _others = "".join(x for x in _g.chars if x != _c)
        if _others:
            BRAND_HOMOPHONES[_c] = _others


class Industry(NamedTuple):
    cn: str
    short: str  # what people say: 电子, 物流
    en: str
    weight: float


INDUSTRIES: tuple[Industry, ...] = (
    Industry("电子科技", "电子", "Electronic Technology", 5.0),
    Industry("信息技术", "信息", "Information Technology", 4.0),
    Industry("网络科技", "网络", "Network Technology", 3.0),
    Industry("软件", "软件", "Software", 2.5),
    Industry("智能科技", "智能", "Intelligent Technology", 2.5),
    Industry("机械设备", "机械", "Machinery Equipment", 3.0),
    Industry("精密机械", "精密", "Precision Machinery", 1.5),
    Industry("自动化设备", "自动化", "Automation Equipment", 2.0),
    Industry("新材料", "材料", "New Material", 1.5),
    Industry("化工", "化工", "Chemical", 1.5),
    Industry("医疗器械", "医疗", "Medical Equipment", 2.0),
    Industry("生物科技", "生物", "Biotechnology", 1.5),
    Industry("医药", "医药", "Pharmaceutical", 1.0),
    Industry("物流", "物流", "Logistics", 2.5),
    Industry("供应链管理", "供应链", "Supply Chain Management", 1.5),
    Industry("国际贸易", "贸易", "International Trade", 2.0),
    Industry("进出口", "进出口", "Import & Export", 1.5),
    Industry("贸易", "贸易", "Trading", 2.0),
    Industry("建筑工程", "建筑", "Construction Engineering", 1.5),
    Industry("环保科技", "环保", "Environmental Technology", 1.5),
    Industry("新能源", "新能源", "New Energy", 1.5),
    Industry("光电", "光电", "Optoelectronics", 1.2),
    Industry("电气", "电气", "Electric", 1.5),
    Industry("汽车零部件", "汽配", "Auto Parts", 1.5),
    Industry("包装材料", "包装", "Packaging Material", 1.0),
    Industry("五金制品", "五金", "Hardware Products", 1.5),
    Industry("塑胶制品", "塑胶", "Plastic Products", 1.0),
    Industry("纺织", "纺织", "Textile", 1.0),
    Industry("服饰", "服饰", "Apparel", 0.8),
    Industry("食品", "食品", "Food", 1.0),
    Industry("家居", "家居", "Home Furnishing", 0.8),
    Industry("照明", "照明", "Lighting", 0.8),
    Industry("通信技术", "通信", "Communication Technology", 1.5),
    Industry("实业", "实业", "Industrial", 1.5),
    Industry("文化传媒", "传媒", "Culture & Media", 0.8),
    Industry("教育科技", "教育", "Education Technology", 0.6),
    Industry("管理咨询", "咨询", "Management Consulting", 0.8),
    Industry("电子商务", "电商", "E-commerce", 1.0),
    Industry("仪器仪表", "仪器", "Instruments", 1.0),
    Industry("检测技术", "检测", "Testing Technology", 0.8),
)


class LegalForm(NamedTuple):
    cn: str
    en: str
    weight: float
    small: bool  # a workshop or shop: often no mail domain of its own


LEGAL_FORMS: tuple[LegalForm, ...] = (
    LegalForm("有限公司", "Co., Ltd.", 60.0, False),
    LegalForm("股份有限公司", "Co., Ltd.", 10.0, False),
    LegalForm("有限责任公司", "Co., Ltd.", 8.0, False),
    LegalForm("集团有限公司", "Group Co., Ltd.", 5.0, False),
    LegalForm("厂", "Factory", 5.0, True),
    LegalForm("商行", "Trading Firm", 3.0, True),
    LegalForm("经营部", "Trading Dept.", 2.0, True),
)

# Ways a legal form is rewritten by someone typing it again.
LEGAL_REWRITES: dict[str, tuple[str, ...]] = {
    "有限公司": ("有限责任公司", "公司", "有限公司", "Co.,Ltd"),
    "股份有限公司": ("股份公司", "有限公司", "股份有限责任公司"),
    "有限责任公司": ("有限公司", "公司"),
    "集团有限公司": ("集团", "集团公司", "(集团)有限公司"),
    "厂": ("工厂", "厂"),
    "商行": ("贸易商行", "行"),
    "经营部": ("商行", "经营部"),
}


class Title(NamedTuple):
    cn: str
    en: str
    dept: str
    senior: bool


TITLES: tuple[Title, ...] = (
    Title("销售经理", "Sales Manager", "销售部", False),
    Title("销售代表", "Sales Representative", "销售部", False),
    Title("区域经理", "Regional Manager", "销售部", False),
    Title("大客户经理", "Key Account Manager", "销售部", False),
    Title("采购经理", "Purchasing Manager", "采购部", False),
    Title("采购专员", "Buyer", "采购部", False),
    Title("采购主管", "Purchasing Supervisor", "采购部", False),
    Title("工程师", "Engineer", "技术部", False),
    Title("高级工程师", "Senior Engineer", "研发中心", False),
    Title("技术总监", "CTO", "技术部", True),
    Title("研发经理", "R&D Manager", "研发中心", False),
    Title("项目经理", "Project Manager", "项目部", False),
    Title("产品经理", "Product Manager", "产品部", False),
    Title("市场经理", "Marketing Manager", "市场部", False),
    Title("市场专员", "Marketing Specialist", "市场部", False),
    Title("财务经理", "Finance Manager", "财务部", False),
    Title("财务总监", "CFO", "财务部", True),
    Title("行政主管", "Admin Supervisor", "行政部", False),
    Title("人事经理", "HR Manager", "人力资源部", False),
    Title("外贸业务员", "Sales Executive", "国际贸易部", False),
    Title("商务经理", "Business Manager", "商务部", False),
    Title("运营经理", "Operations Manager", "运营部", False),
    Title("客服主管", "Customer Service Supervisor", "客服部", False),
    Title("质量经理", "Quality Manager", "品质部", False),
    Title("生产经理", "Production Manager", "生产部", False),
    Title("总经理", "General Manager", "总经办", True),
    Title("副总经理", "Deputy General Manager", "总经办", True),
    Title("董事长", "Chairman", "董事会", True),
    Title("销售总监", "Sales Director", "销售部", True),
    Title("总裁", "President", "总裁办", True),
)
ASSISTANT_TITLES: tuple[Title, ...] = (
    Title("总经理助理", "Assistant to GM", "总经办", False),
    Title("总裁助理", "Assistant to President", "总裁办", False),
    Title("行政助理", "Admin Assistant", "行政部", False),
    Title("董事长秘书", "Secretary to Chairman", "董事会", False),
)

# How a colleague is addressed instead of by name: 张总, 李经理, 王工.
HONORIFICS_SENIOR: tuple[str, ...] = ("总", "董", "总")
HONORIFICS_STAFF: tuple[str, ...] = ("经理", "工", "主管")
HONORIFICS_GENDER: dict[str, tuple[str, ...]] = {
    "M": ("先生",),
    "F": ("女士", "小姐"),
}

PERSONAL_HOSTS: tuple[tuple[str, float], ...] = (
    ("qq.com", 40.0),
    ("163.com", 20.0),
    ("126.com", 8.0),
    ("sina.com", 4.0),
    ("foxmail.com", 4.0),
    ("139.com", 3.0),
    ("gmail.com", 5.0),
    ("hotmail.com", 4.0),
    ("outlook.com", 3.0),
    ("yeah.net", 2.0),
    ("aliyun.com", 2.0),
    ("sohu.com", 2.0),
)

# Misspelt mail hosts seen in hand-typed sheets.
HOST_TYPOS: dict[str, tuple[str, ...]] = {
    "qq.com": ("qq.con", "qq.cm", "qq.om", "qq.comm", "qq。com", "QQ.com", "qq.co"),
    "163.com": ("163.cm", "163.con", "136.com", "163.om", "163com"),
    "126.com": ("126.cn", "162.com", "126.con"),
    "gmail.com": ("gmial.com", "gmai.com", "gmail.cm", "gamil.com"),
    "hotmail.com": ("hotmial.com", "hotmail.con", "homail.com"),
    "sina.com": ("sina.cn", "sina.com.cn", "sian.com"),
    "outlook.com": ("outlok.com", "outlook.cn"),
    "foxmail.com": ("foxmial.com", "foxmail.cm"),
}

GENERIC_LOCALS: tuple[str, ...] = ("info", "sales", "service", "admin", "market", "hr", "office")

SALES_REPS: tuple[str, ...] = (
    "陈思远",
    "刘晓东",
    "王丽娜",
    "赵磊",
    "孙婷婷",
    "周杰",
    "吴佳琪",
    "郑浩",
    "黄敏",
    "林志强",
    "何雪",
    "马骏",
)
SALES_TEAMS: tuple[str, ...] = (
    "华南大区",
    "华东大区",
    "华北大区",
    "销售一部",
    "销售二部",
    "渠道部",
)

LEAD_SOURCES: tuple[str, ...] = (
    "-None-",
    "展会",
    "广告",
    "电话营销",
    "员工推荐",
    "外部推荐",
    "合作伙伴",
    "网站",
    "老客户介绍",
)

TRADE_SHOWS: tuple[tuple[str, str], ...] = (
    ("深圳国际电子展", "1号馆"),
    ("中国进出口商品交易会", "A区"),
    ("上海国际工业博览会", "5.1H"),
    ("中国国际医疗器械博览会", "N3"),
    ("华南国际物流展", "8号馆"),
)
INTERESTS: tuple[str, ...] = (
    "ERP系统",
    "CRM系统",
    "仓储方案",
    "传感器",
    "工业相机",
    "云服务",
    "代理合作",
    "OEM定制",
    "报价",
    "样品",
)

REMARKS: tuple[str, ...] = (
    "已报价",
    "下周回访",
    "对方要样品",
    "老客户转介绍",
    "有采购意向",
    "电话打不通",
    "已加微信",
    "需求待确认",
)

# Latin/digit confusions when a card or badge is read by OCR.
OCR_LATIN: dict[str, str] = {
    "0": "O",
    "O": "0",
    "o": "0",
    "1": "l",
    "l": "1",
    "I": "1",
    "5": "S",
    "S": "5",
    "8": "B",
    "B": "8",
    "6": "b",
    "2": "Z",
    "g": "q",
    "q": "g",
    "m": "rn",
    "rn": "m",
}
