"""Value pools: surnames by frequency, given-name characters, pinyin, cities, company parts.

Frequencies are rounded from published surname rankings (per mille of the population); the
given-name pools are the common characters of people born 1950-2000, with the most popular
one-character names weighted up so that namesakes (张伟, 王芳, 李娜) occur as often as in life.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _pairs(text: str) -> dict[str, str]:
    """'伟wei 芳fang' -> {'伟': 'wei', '芳': 'fang'} (the first char(s) are CJK, the rest ASCII)."""
    out: dict[str, str] = {}
    for token in text.split():
        i = 0
        while i < len(token) and not token[i].isascii():
            i += 1
        out[token[:i]] = token[i:]
    return out


# surname, pinyin, weight (per ten thousand)
_SURNAMES = (
    "王wang:710 李li:700 张zhang:690 刘liu:540 陈chen:450 杨yang:310 黄huang:260 赵zhao:230 "
    "吴wu:200 周zhou:190 徐xu:160 孙sun:150 马ma:150 朱zhu:130 胡hu:130 郭guo:120 何he:120 "
    "高gao:110 林lin:110 罗luo:100 郑zheng:90 梁liang:90 谢xie:80 宋song:70 唐tang:70 许xu:70 "
    "韩han:60 冯feng:60 邓deng:60 曹cao:60 彭peng:50 曾zeng:50 肖xiao:50 田tian:50 董dong:50 "
    "袁yuan:50 潘pan:40 于yu:40 蒋jiang:40 蔡cai:40 余yu:40 杜du:40 叶ye:40 程cheng:40 苏su:30 "
    "魏wei:30 吕lv:30 丁ding:30 任ren:30 沈shen:30 姚yao:30 卢lu:30 姜jiang:30 崔cui:30 钟zhong:30 "
    "谭tan:30 陆lu:30 汪wang:30 范fan:30 金jin:30 石shi:30 廖liao:20 贾jia:20 夏xia:20 韦wei:20 "
    "付fu:20 方fang:20 白bai:20 邹zou:20 孟meng:20 熊xiong:20 秦qin:20 邱qiu:20 江jiang:20 "
    "尹yin:20 薛xue:20 闫yan:20 段duan:20 雷lei:20 侯hou:20 龙long:20 史shi:20 陶tao:10 黎li:10 "
    "贺he:10 顾gu:10 毛mao:10 郝hao:10 龚gong:10 邵shao:10 万wan:10 钱qian:10 严yan:10 覃qin:10 "
    "武wu:10 戴dai:10 莫mo:10 孔kong:10 向xiang:10 汤tang:10 常chang:10 欧阳ouyang:3 司马sima:1 "
    "诸葛zhuge:1 上官shangguan:1 司徒situ:1 东方dongfang:1 慕容murong:1 皇甫huangfu:1 令狐linghu:1"
)
SURNAMES: tuple[str, ...] = tuple(
    t.split(":")[0].rstrip("abcdefghijklmnopqrstuvwxyz") for t in _SURNAMES.split()
)
SURNAME_WEIGHTS: tuple[int, ...] = tuple(int(t.split(":")[1]) for t in _SURNAMES.split())
PINYIN: dict[str, str] = _pairs(" ".join(t.split(":")[0] for t in _SURNAMES.split()))

# one-character given names with weights: the very common ones make namesakes
_SINGLE_M = (
    "伟:16 强:10 磊:10 军:9 勇:8 杰:9 涛:8 斌:12 超:12 明:12 刚:10 平:8 辉:10 "
    "鹏:10 华:8 飞:8 鑫:8 波:8 宇:8 浩:8 凯:6 健:6 俊:6 帆:4 峰:6 亮:6 毅:4 兵:4"
)
_SINGLE_F = (
    "芳:14 娜:14 敏:11 静:12 丽:10 艳:8 娟:8 霞:12 燕:12 玲:10 婷:12 红:8 颖:8 "
    "琳:6 倩:6 洁:6 雪:6 晶:5 慧:6 萍:5 丹:6 莉:5 蕾:4 薇:4 瑶:4 欣:6 怡:4 佳:4"
)
# characters combined into two-character given names
_FIRST_M = (
    "建 志 晓 海 国 文 永 俊 明 子 宇 浩 天 一 家 嘉 博 振 立 德 长 少 春 新 伟 鸿 泽 成 学 光 "
    "宏 卫 胜 益 延 育 耀 继 守 世 瑞 敬 靖 兆 昌 铭 景 思 金 红"
)
_SECOND_M = (
    "华 强 军 平 明 峰 东 林 涛 辉 伟 杰 斌 鹏 龙 宇 轩 然 阳 远 成 生 清 荣 忠 刚 波 勇 亮 文 "
    "宁 飞 辰 超 彬 毅 凯 鑫 海 松 坤 翔 磊 晨 锋 楠 哲 睿 川 星"
)
_FIRST_F = (
    "秀 桂 丽 晓 海 春 玉 美 雪 雨 思 梓 欣 子 佳 嘉 诗 梦 婉 静 慧 淑 小 凤 金 红 翠 一 "
    "雅 紫 心 可 若 艺 冰 秋 彩 素 爱 月 亚 巧 文 永"
)
_SECOND_F = (
    "英 兰 芳 燕 红 娟 华 梅 琴 萍 霞 玲 丽 敏 静 婷 怡 涵 萱 琪 琳 雪 颖 洁 倩 瑶 莉 蕾 薇 诺 "
    "宁 娇 菲 妍 悦 彤 馨 璐 岚 晴 丹 霏 月 云 娅 茜 婕 媛 珊 芸"
)
_POPULAR2 = (
    "建华:6 建国:6 志强:6 秀英:8 桂英:7 秀兰:6 海燕:6 丽娟:5 晓明:5 子涵:6 "
    "梓萱:4 浩然:5 一诺:4 欣怡:5 宇轩:4 文静:4 春梅:4 玉兰:4 志刚:4 国强:4"
)


def _weighted(text: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    items = [t.split(":") for t in text.split()]
    return tuple(i[0] for i in items), tuple(int(i[1]) for i in items)


SINGLE_M = _weighted(_SINGLE_M)
SINGLE_F = _weighted(_SINGLE_F)
POPULAR2 = _weighted(_POPULAR2)
FIRST_M, SECOND_M = tuple(_FIRST_M.split()), tuple(_SECOND_M.split())
FIRST_F, SECOND_F = tuple(_FIRST_F.split()), tuple(_SECOND_F.split())
FEMALE_POPULAR = frozenset(_words("秀英 桂英 秀兰 海燕 丽娟 梓萱 欣怡 文静 春梅 玉兰 子涵 一诺"))

PINYIN.update(
    _pairs(
        "伟wei 强qiang 磊lei 军jun 勇yong 杰jie 涛tao 斌bin 超chao 明ming 刚gang 平ping 辉hui "
        "鹏peng 华hua 飞fei 鑫xin 波bo 宇yu 浩hao 凯kai 健jian 俊jun 帆fan 峰feng 亮liang 毅yi "
        "兵bing 芳fang 娜na 敏min 静jing 丽li 艳yan 娟juan 霞xia 燕yan 玲ling 婷ting 红hong "
        "颖ying 琳lin 倩qian 洁jie 雪xue 晶jing 慧hui 萍ping 丹dan 莉li 蕾lei 薇wei 瑶yao "
        "欣xin 怡yi 佳jia 建jian 志zhi 晓xiao 海hai 国guo 文wen 永yong 子zi 天tian 一yi 家jia "
        "嘉jia 博bo 振zhen 立li 德de 长chang 少shao 春chun 新xin 鸿hong 泽ze 成cheng 学xue "
        "光guang 东dong 林lin 龙long 轩xuan 然ran 阳yang 远yuan 生sheng 清qing 荣rong 忠zhong "
        "秀xiu 桂gui 玉yu 美mei 雨yu 思si 梓zi 诗shi 梦meng 婉wan 淑shu 小xiao 凤feng 金jin "
        "翠cui 英ying 兰lan 梅mei 琴qin 涵han 萱xuan 琪qi 诺nuo "
        "宏hong 卫wei 胜sheng 益yi 延yan 育yu 耀yao 继ji 守shou 世shi 瑞rui 敬jing 靖jing "
        "兆zhao 昌chang 铭ming 景jing 宁ning 辰chen 彬bin 松song 坤kun 翔xiang 晨chen 锋feng "
        "楠nan 哲zhe 睿rui 川chuan 星xing 雅ya 紫zi 心xin 可ke 若ruo 艺yi 冰bing 秋qiu 彩cai "
        "素su 爱ai 月yue 亚ya 巧qiao 娇jiao 菲fei 妍yan 悦yue 彤tong 馨xin 璐lu 岚lan 晴qing "
        "霏fei 云yun 娅ya 茜qian 婕jie 媛yuan 珊shan 芸yun"
    )
)

# simplified -> traditional for the characters above that differ (used for 繁体 rows)
TRADITIONAL: dict[str, str] = dict(
    zip(
        "张刘陈杨黄赵吴孙马郑谢许韩冯邓肖董袁苏蒋叶钟谭陆卢汪贾韦邹龙顾龚万钱严汤欧阳诸葛东"
        "伟军强杰涛辉鹏华飞凯丽艳娟颖洁红凤兰诗梦轩远鸿长泽荣学国晓庆宁云",
        "張劉陳楊黃趙吳孫馬鄭謝許韓馮鄧肖董袁蘇蔣葉鍾譚陸盧汪賈韋鄒龍顧龔萬錢嚴湯歐陽諸葛東"
        "偉軍強傑濤輝鵬華飛凱麗艷娟穎潔紅鳳蘭詩夢軒遠鴻長澤榮學國曉慶寧雲",
        strict=True,
    )
)

# pinyin-input homophones (typing errors) and look-alike characters (OCR errors on cards)
HOMOPHONES: dict[str, str] = _pairs(
    "伟玮 伟维 丽莉 丽立 静晶 静敬 明铭 明鸣 华桦 军君 杰洁 涛韬 辉晖 鹏朋 飞菲 娜纳 敏民 "
    "芳方 婷亭 燕艳 玲铃 红宏 霞夏 峰锋 波博 宇雨 浩昊 强墙 勇涌 健建 俊骏 斌彬 超潮 磊蕾 "
    "萍平 琳林 颖影 慧惠 雪学 晓小 志智 建剑 国果 文雯 春纯 英莹 兰岚 梅媚 琴勤 涵晗"
)
LOOKALIKES: dict[str, str] = _pairs(
    "王玉 张弦 李季 刘浏 陈阵 杨扬 赵越 吴昊 周同 徐涂 孙孔 马乌 朱末 胡故 郭郁 林材 "
    "伟传 强蚀 军车 杰术 明朋 平半 华毕 飞乙 宇字 浩造 娜挪 敏敲 静净 丽画 婷亭 "
    "玲铃 晶昌 雪雷 慧彗 萍苹 丹册 莉利 欣炊 佳住 建達 志忐 晓晚 国固 文丈 天夭"
)

MALE_EN = _words(
    "David Michael Kevin Tony Jack Jason Eric Peter Frank Vincent Leo Andy Steven Alex Bruce "
    "Sam Ken James William Tom Allen Ryan Simon Daniel Victor"
)
FEMALE_EN = _words(
    "Lily Amy Grace Cathy Linda Vivian Cindy Joyce Helen Sophia Emma Coco Sherry Iris Wendy "
    "Jessica Tina Annie Candy Fiona Echo Nina Judy Rose Queenie"
)
EXPAT_FIRST = _words("Mark John Thomas Michael Stefan Pierre Anna Julia Laura Sarah Kenji")
EXPAT_LAST = _words(
    "Smith Johnson Brown Miller Müller Schmidt Weber Martin Dubois Rossi Tanaka Kim Wilson"
)

# city, province, area code, city pinyin, province pinyin, weight
_CITIES = (
    "北京 北京市 010 Beijing Beijing 90|上海 上海市 021 Shanghai Shanghai 90|"
    "深圳 广东省 0755 Shenzhen Guangdong 70|广州 广东省 020 Guangzhou Guangdong 60|"
    "杭州 浙江省 0571 Hangzhou Zhejiang 45|成都 四川省 028 Chengdu Sichuan 40|"
    "南京 江苏省 025 Nanjing Jiangsu 35|苏州 江苏省 0512 Suzhou Jiangsu 35|"
    "武汉 湖北省 027 Wuhan Hubei 35|天津 天津市 022 Tianjin Tianjin 30|"
    "重庆 重庆市 023 Chongqing Chongqing 30|西安 陕西省 029 Xi'an Shaanxi 25|"
    "东莞 广东省 0769 Dongguan Guangdong 25|佛山 广东省 0757 Foshan Guangdong 20|"
    "宁波 浙江省 0574 Ningbo Zhejiang 20|青岛 山东省 0532 Qingdao Shandong 20|"
    "长沙 湖南省 0731 Changsha Hunan 20|郑州 河南省 0371 Zhengzhou Henan 20|"
    "合肥 安徽省 0551 Hefei Anhui 18|济南 山东省 0531 Jinan Shandong 15|"
    "无锡 江苏省 0510 Wuxi Jiangsu 15|厦门 福建省 0592 Xiamen Fujian 15|"
    "福州 福建省 0591 Fuzhou Fujian 12|沈阳 辽宁省 024 Shenyang Liaoning 12|"
    "大连 辽宁省 0411 Dalian Liaoning 12|昆明 云南省 0871 Kunming Yunnan 10|"
    "温州 浙江省 0577 Wenzhou Zhejiang 10|常州 江苏省 0519 Changzhou Jiangsu 10|"
    "哈尔滨 黑龙江省 0451 Harbin Heilongjiang 8|石家庄 河北省 0311 Shijiazhuang Hebei 8|"
    "南昌 江西省 0791 Nanchang Jiangxi 8|南宁 广西壮族自治区 0771 Nanning Guangxi 8|"
    "珠海 广东省 0756 Zhuhai Guangdong 8|泉州 福建省 0595 Quanzhou Fujian 8|"
    "太原 山西省 0351 Taiyuan Shanxi 6|贵阳 贵州省 0851 Guiyang Guizhou 6|"
    "兰州 甘肃省 0931 Lanzhou Gansu 4|乌鲁木齐 新疆维吾尔自治区 0991 Urumqi Xinjiang 4"
)
CITIES: tuple[tuple[str, str, str, str, str], ...] = tuple(
    (c[0], c[1], c[2], c[3], c[4]) for c in (x.split() for x in _CITIES.split("|"))
)
CITY_WEIGHTS: tuple[int, ...] = tuple(int(x.split()[5]) for x in _CITIES.split("|"))
DISTRICTS = _words("高新区 经济技术开发区 工业园区 新区 开发区 城南区 城北区")
# real districts of the largest cities (others get a generic development-zone district)
CITY_DISTRICTS: dict[str, tuple[str, ...]] = {
    "北京": ("朝阳区", "海淀区", "东城区", "丰台区", "大兴区"),
    "上海": ("浦东新区", "徐汇区", "闵行区", "静安区", "长宁区"),
    "深圳": ("南山区", "福田区", "龙岗区", "宝安区", "龙华区"),
    "广州": ("天河区", "越秀区", "海珠区", "番禺区", "白云区"),
    "杭州": ("西湖区", "滨江区", "余杭区", "拱墅区"),
    "成都": ("武侯区", "锦江区", "高新区", "成华区"),
}
ROADS = _words(
    "建国路 中山路 人民路 解放路 科技园路 长江路 建设路 新华路 和平路 东风路 发展大道 创业路 学院路"
)

BRAND = _pairs(
    "恒heng 瑞rui 华hua 信xin 达da 安an 泰tai 盛sheng 鑫xin 宏hong 元yuan 通tong 博bo "
    "创chuang 新xin 科ke 联lian 凯kai 德de 天tian 远yuan 正zheng 中zhong 海hai 金jin 辰chen "
    "峰feng 和he 美mei 嘉jia 汇hui 丰feng 润run 隆long 诚cheng 立li 昌chang 佳jia 亿yi 兴xing "
    "源yuan 宇yu 智zhi 腾teng 越yue 星xing 光guang 明ming 东dong 方fang 弘hong 志zhi 启qi "
    "迪di 维wei 捷jie 驰chi 锦jin 晟sheng 祥xiang 汉han 昊hao 卓zhuo"
)
BRAND_CHARS = tuple(BRAND)
# Chinese industry word, English words, a department list that fits
INDUSTRIES = (
    ("信息技术", "Information Technology"),
    ("网络科技", "Network Technology"),
    ("科技", "Technology"),
    ("电子", "Electronics"),
    ("贸易", "Trading"),
    ("进出口贸易", "Import & Export"),
    ("医药", "Pharmaceutical"),
    ("生物科技", "Biotechnology"),
    ("机械设备", "Machinery"),
    ("新材料", "New Materials"),
    ("物流", "Logistics"),
    ("建设工程", "Construction Engineering"),
    ("食品", "Food"),
    ("企业管理咨询", "Management Consulting"),
    ("教育科技", "Education Technology"),
    ("环保科技", "Environmental Technology"),
    ("汽车零部件", "Auto Parts"),
    ("化工", "Chemical"),
    ("智能装备", "Intelligent Equipment"),
    ("文化传媒", "Culture Media"),
)
DEPARTMENTS = _words(
    "销售部 市场部 采购部 技术部 研发中心 财务部 人力资源部 行政部 总经办 客服部 IT部 "
    "供应链管理部 法务部 运营部 华东大区 华南大区 质量部 生产部 信息中心 项目部"
)
# title, its short address form used after the surname (王总 / 张经理 / 刘工), weight
TITLES = (
    ("总经理", "总", 5),
    ("副总经理", "总", 4),
    ("董事长", "董", 2),
    ("总监", "总", 6),
    ("销售总监", "总", 4),
    ("采购经理", "经理", 8),
    ("销售经理", "经理", 10),
    ("部门经理", "经理", 8),
    ("项目经理", "经理", 8),
    ("主管", "主管", 6),
    ("工程师", "工", 10),
    ("高级工程师", "工", 5),
    ("采购专员", "", 8),
    ("行政专员", "", 6),
    ("会计", "", 5),
    ("财务经理", "经理", 4),
    ("IT经理", "经理", 4),
    ("HR", "", 4),
    ("助理", "", 6),
    ("CEO", "总", 1),
    ("CTO", "总", 1),
)
PERSONAL_DOMAINS = (
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "gmail.com",
    "foxmail.com",
    "hotmail.com",
    "139.com",
    "yeah.net",
    "outlook.com",
)
PERSONAL_DOMAIN_WEIGHTS = (40, 22, 10, 4, 5, 5, 3, 4, 2, 5)
ROLE_MAILBOXES = ("info", "sales", "service", "hr", "admin", "contact", "market", "office")
MOBILE_PREFIXES = _words(
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 "
    "173 176 177 178 180 181 182 183 185 186 187 188 189 191 198 199"
)
