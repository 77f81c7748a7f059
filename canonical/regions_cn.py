"""Chinese administrative regions, as data for stripping region words from company names.

Every province-level division (provinces, autonomous regions, municipalities, SARs) with its
official name, and all prefecture-level cities (地级市), by province. Cities whose names are
also common words or brands (中山, 北海, 大同, 三明 as in 三明治...) count as a region at the
start of a name only when written with 市. Autonomous prefectures and districts are not listed.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "AMBIGUOUS_CITIES",
    "LATIN_REGION_NAMES",
    "PREFECTURE_CITIES",
    "PROVINCE_LEVEL",
    "leading_city",
    "region_prefixes",
    "region_words",
]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# (short name, official name)
PROVINCE_LEVEL: Final[tuple[tuple[str, str], ...]] = (
    ("北京", "北京市"),
    ("天津", "天津市"),
    ("上海", "上海市"),
    ("重庆", "重庆市"),
    ("河北", "河北省"),
    ("山西", "山西省"),
    ("辽宁", "辽宁省"),
    ("吉林", "吉林省"),
    ("黑龙江", "黑龙江省"),
    ("江苏", "江苏省"),
    ("浙江", "浙江省"),
    ("安徽", "安徽省"),
    ("福建", "福建省"),
    ("江西", "江西省"),
    ("山东", "山东省"),
    ("河南", "河南省"),
    ("湖北", "湖北省"),
    ("湖南", "湖南省"),
    ("广东", "广东省"),
    ("海南", "海南省"),
    ("四川", "四川省"),
    ("贵州", "贵州省"),
    ("云南", "云南省"),
    ("陕西", "陕西省"),
    ("甘肃", "甘肃省"),
    ("青海", "青海省"),
    ("台湾", "台湾省"),
    ("内蒙古", "内蒙古自治区"),
    ("广西", "广西壮族自治区"),
    ("西藏", "西藏自治区"),
    ("宁夏", "宁夏回族自治区"),
    ("新疆", "新疆维吾尔自治区"),
    ("香港", "香港特别行政区"),
    ("澳门", "澳门特别行政区"),
)

# Short names; the official name adds 市. Municipalities and SARs are in PROVINCE_LEVEL.
_CITIES_BY_PROVINCE: Final[dict[str, str]] = {
    "河北": "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水",
    "山西": "太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁",
    "内蒙古": "呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布",
    "辽宁": "沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛",
    "吉林": "长春 吉林 四平 辽源 通化 白山 松原 白城",
    "黑龙江": "哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化",
    "江苏": "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁",
    "浙江": "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水",
    "安徽": ("合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城"),
    "福建": "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德",
    "江西": "南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶",
    "山东": "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽",
    "河南": (
        "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店"
    ),
    "湖北": "武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州",
    "湖南": "长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底",
    "广东": (
        "广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 "
        "惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮"
    ),
    "广西": "南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左",
    "海南": "海口 三亚 三沙 儋州",
    "四川": (
        "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 "
        "乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳"
    ),
    "贵州": "贵阳 六盘水 遵义 安顺 毕节 铜仁",
    "云南": "昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧",
    "西藏": "拉萨 日喀则 昌都 林芝 山南 那曲",
    "陕西": "西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛",
    "甘肃": "兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南",
    "青海": "西宁 海东",
    "宁夏": "银川 石嘴山 吴忠 固原 中卫",
    "新疆": "乌鲁木齐 克拉玛依 吐鲁番 哈密",
}

PREFECTURE_CITIES: Final[tuple[str, ...]] = tuple(
    city for cities in _CITIES_BY_PROVINCE.values() for city in cities.split()
)

AMBIGUOUS_CITIES: Final[frozenset[str]] = frozenset(
    _words(
        "朝阳 北海 白银 中山 安康 来宾 普洱 黄山 大同 长治 "
        "三明 白山 黑河 山南 海东 金昌 日照 天水 安顺 吉安 武威"
    )
)

# Lower-case pinyin and English names without spaces, matched against bracketed Latin text.
LATIN_REGION_NAMES: Final[frozenset[str]] = frozenset(
    _words(
        """
    amoy anhui ankang anqing anshan anshun anyang aomen baicheng baise baishan baiyin
    baoding baoji baoshan baotou bayannaoer bazhong beihai beijing bengbu benxi bijie
    binzhou bozhou cangzhou canton changchun changde changdu changsha changzhi changzhou
    chaoyang chaozhou chengde chengdu chenzhou chifeng china chizhou chongqing chongzuo
    chuzhou dalian dandong danzhou daqing datong dazhou deyang dezhou dingxi dongguan
    dongying eerduosi ezhou fangchenggang foshan fujian fushun fuxin fuyang fuzhou gansu
    ganzhou guangan guangdong guangxi guangyuan guangzhou guigang guilin guiyang guizhou
    guyuan haerbin haidong haikou hainan hami handan hangzhou hanzhong harbin hebei hebi
    hechi hefei hegang heihe heilongjiang henan hengshui hengyang heyuan heze hezhou hk
    hohhot hongkong huaian huaibei huaihua huainan huanggang huangshan huangshi hubei
    huhehaote huizhou huludao hulunbeier hunan huzhou innermongolia jiamusi jian jiangmen
    jiangsu jiangxi jiaozuo jiaxing jiayuguan jieyang jilin jinan jinchang jincheng
    jingdezhen jingmen jingzhou jinhua jining jinzhong jinzhou jiujiang jiuquan jixi kaifeng
    kelamayi kunming laibin langfang lanzhou lasa leshan lhasa lianyungang liaocheng
    liaoning liaoyang liaoyuan lijiang lincang linfen linyi linzhi lishui liupanshui liuzhou
    longnan longyan loudi luan luohe luoyang luzhou lvliang maanshan macao macau
    mainlandchina maoming meishan meizhou mianyang mudanjiang nanchang nanchong nanjing
    nanning nanping nantong nanyang naqu neijiang neimenggu ningbo ningde ningxia ordos
    panjin panzhihua peking pingdingshan pingliang pingxiang prc puer putian puyang qingdao
    qinghai qingyang qingyuan qinhuangdao qinzhou qiqihaer qitaihe quanzhou qujing quzhou
    rikaze rizhao sanmenxia sanming sansha sanya shaanxi shandong shanghai shangluo shangqiu
    shangrao shannan shantou shanwei shanxi shaoguan shaoxing shaoyang shenyang shenzhen
    shijiazhuang shiyan shizuishan shuangyashan shuozhou sichuan siping songyuan suihua
    suining suizhou suqian suzhou taian taiwan taiyuan taizhou tangshan tianjin tianshui
    tibet tieling tongchuan tonghua tongliao tongling tongren tulufan urumqi weifang weihai
    weinan wenzhou wuhai wuhan wuhu wulanchabu wulumuqi wuwei wuxi wuzhong wuzhou xiamen
    xian xianggang xiangtan xiangyang xianning xianyang xiaogan xingtai xining xinjiang
    xinxiang xinyang xinyu xinzhou xizang xuancheng xuchang xuzhou yaan yanan yancheng
    yangjiang yangquan yangzhou yantai yibin yichang yichun yinchuan yingkou yingtan yiyang
    yongzhou yueyang yulin yuncheng yunfu yunnan yuxi zaozhuang zhangjiajie zhangjiakou
    zhangye zhangzhou zhanjiang zhaoqing zhaotong zhejiang zhengzhou zhenjiang zhongshan
    zhongwei zhoukou zhoushan zhuhai zhumadian zhuzhou zibo zigong ziyang zunyi
        """
    )
)


def region_prefixes() -> tuple[str, ...]:
    """Every form that may start a company name as its region, longest first.

    Ambiguous cities appear only with 市; everything else both bare and official.
    """
    forms: set[str] = set()
    for short, official in PROVINCE_LEVEL:
        forms.update((short, official))
    for city in PREFECTURE_CITIES:
        forms.add(city + "市")
        if city not in AMBIGUOUS_CITIES:
            forms.add(city)
    return tuple(sorted(forms, key=lambda form: (-len(form), form)))


def region_words() -> frozenset[str]:
    """Every region name, bare or official, ambiguous ones included, plus 中国: the words that
    are dropped when they are all a bracket holds, as in 腾讯科技（深圳）有限公司."""
    words = {form for pair in PROVINCE_LEVEL for form in pair}
    words.update(PREFECTURE_CITIES)
    words.update(city + "市" for city in PREFECTURE_CITIES)
    words.update(("中国", "中国大陆", "大陆"))
    return frozenset(words)


# Urban districts of the largest cities, as a city field written with only its district
# (福田区, 浦东新区) names them; a name used in two cities (鼓楼, 朝阳, 西湖) is left out.
_DISTRICTS_BY_CITY: Final[dict[str, str]] = {
    "北京": "东城 西城 朝阳 海淀 丰台 石景山 通州 顺义 昌平 大兴 房山 门头沟 怀柔 平谷 密云 延庆",
    "上海": "黄浦 徐汇 长宁 静安 普陀 虹口 杨浦 闵行 宝山 嘉定 浦东 金山 松江 青浦 奉贤 崇明",
    "天津": "和平 河东 河西 南开 河北 红桥 滨海 东丽 西青 津南 北辰 武清 宝坻",
    "重庆": "渝中 江北 南岸 九龙坡 沙坪坝 大渡口 渝北 巴南 北碚",
    "深圳": "福田 罗湖 南山 宝安 龙岗 盐田 龙华 坪山 光明",
    "广州": "越秀 海珠 荔湾 天河 白云 黄埔 番禺 花都 南沙 从化 增城",
    "杭州": "上城 拱墅 西湖 滨江 萧山 余杭 临平 钱塘 富阳 临安",
    "南京": "玄武 秦淮 建邺 鼓楼 浦口 栖霞 雨花台 江宁 六合 溧水 高淳",
    "武汉": "江岸 江汉 硚口 汉阳 武昌 青山 洪山 东西湖 蔡甸 江夏 黄陂 新洲 汉南",
    "成都": "锦江 青羊 金牛 武侯 成华 龙泉驿 青白江 新都 温江 双流 郫都",
    "西安": "新城 碑林 莲湖 雁塔 未央 灞桥 长安 临潼 阎良 高陵 鄠邑",
    "苏州": "姑苏 虎丘 吴中 相城 吴江",
    "沈阳": "和平 沈河 大东 皇姑 铁西 浑南 于洪 沈北 苏家屯",
    "青岛": "市南 市北 李沧 崂山 黄岛 城阳 即墨",
    "厦门": "思明 湖里 集美 海沧 同安 翔安",
    "济南": "历下 市中 槐荫 天桥 历城 长清 章丘",
    "郑州": "中原 二七 管城 金水 惠济 上街 郑东",
    "长沙": "芙蓉 天心 岳麓 开福 雨花 望城",
    "合肥": "瑶海 庐阳 蜀山 包河",
    "福州": "鼓楼 台江 仓山 晋安 马尾 长乐",
    "宁波": "海曙 江北 北仑 镇海 鄞州 奉化",
    "佛山": "禅城 南海 顺德 三水 高明",
    "昆明": "五华 盘龙 官渡 西山 呈贡",
    "哈尔滨": "道里 南岗 道外 香坊 松北 平房",
    "大连": "西岗 沙河口 甘井子 旅顺口 金州",
    "南昌": "东湖 西湖 青云谱 青山湖 新建 红谷滩",
    "无锡": "梁溪 锡山 惠山 滨湖 新吴",
    "长春": "南关 宽城 朝阳 二道 绿园",
    "太原": "小店 迎泽 杏花岭 尖草坪 万柏林 晋源",
    "南宁": "兴宁 青秀 江南 西乡塘 良庆 邕宁",
    "贵阳": "南明 云岩 花溪 乌当 白云 观山湖",
    "兰州": "城关 七里河 西固 安宁 红古",
    "乌鲁木齐": "天山 沙依巴克 新市 水磨沟 头屯河 米东",
    "珠海": "香洲 斗门 金湾",
    "海口": "秀英 龙华 琼山 美兰",
    "石家庄": "长安 桥西 新华 裕华",
}


def _district_cities() -> dict[str, str]:
    seen: dict[str, set[str]] = {}
    for city, districts in _DISTRICTS_BY_CITY.items():
        for district in districts.split():
            seen.setdefault(district, set()).add(city)
    cities = set(PREFECTURE_CITIES)
    return {d: c.pop() for d, c in seen.items() if len(c) == 1 and d not in cities}


_DISTRICT_CITY: Final = _district_cities()
_DISTRICT_END: Final = re.compile(r"(?:新区|区)?$")

_MUNICIPALITIES: Final = ("北京", "天津", "上海", "重庆", "香港", "澳门")
_PROVINCE_FORMS: Final = tuple(
    sorted(
        {form for pair in PROVINCE_LEVEL for form in pair if pair[0] not in _MUNICIPALITIES},
        key=len,
        reverse=True,
    )
)
_CITY_NAMES: Final = tuple(sorted((*_MUNICIPALITIES, *PREFECTURE_CITIES), key=len, reverse=True))
# After a bare city name at the start of an address, what makes it the city rather than a
# street named after one (南京路, 北京东路 in Shanghai): 市, or a district or county.
_ADDRESS_CITY_END: Final = re.compile(r"市|[^\d路街道巷号]{1,4}?[区县]")


def leading_city(text: str, *, address: bool = False) -> str | None:
    """The city (short name; a municipality counts) a simplified region or address text
    starts with, after an optional province: 云南省昆明市 -> 昆明, 广东深圳 -> 深圳, 上海长宁
    -> 上海, 杭州市西湖区 -> 杭州; a region or city field holding only a district of a large
    city gives its city (福田区 -> 深圳). In an ``address`` a bare city must be followed by 市 or a
    district (北京市东城区…, 深圳南山区…) unless a province came first, since streets are named
    after cities; a city whose name is also a word (中山, 朝阳) always needs 市 there."""
    rest = text.strip()
    province = False
    for form in _PROVINCE_FORMS:
        if rest.startswith(form) and len(rest) > len(form):
            rest, province = rest[len(form) :].removeprefix("省"), True
            break
    for city in _CITY_NAMES:
        if not rest.startswith(city):
            continue
        after = rest[len(city) :]
        if city in AMBIGUOUS_CITIES and after.startswith("区"):
            break  # 朝阳区 is Beijing's (or Changchun's), 中山区 Dalian's: not 朝阳 or 中山
        if not address or after.startswith("市"):
            return city
        if city in AMBIGUOUS_CITIES:
            return None
        return city if province or _ADDRESS_CITY_END.match(after) else None
    if address:
        return None
    # A city field holding only its district (福田区, 浦东新区): the district's city.
    district = _DISTRICT_END.sub("", rest)
    return _DISTRICT_CITY.get(district)
