"""Relations proposed from text: on the two fixture reports of other styles, and small cases.

tests/fixtures/county-general-budget.txt: a county's general-budget execution report with
"加上…收入总计" chains, a 其中 split, a rate against the adjusted budget and a carry-over.
tests/fixtures/annex-table.txt: a table-like annex, one cell a line, under 单位：万元.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

import fiscalcheck
from fiscalcheck.api import Case
from fiscalcheck.extract import extract
from fiscalcheck.extract.draft import draft_case, draft_yaml
from fiscalcheck.extract.sections import heading_level, outline

FIXTURES = Path(__file__).parent / "fixtures"


def relations(text: str | list[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(p.kind, p.total.printed, tuple(f.printed for f in p.parts)) for p in extract(text).proposals]


def read(name: str) -> list[str]:
    return (FIXTURES / name).read_text(encoding="utf-8").splitlines()


def test_county_report_chains_splits_rates_and_carry_over():
    found = relations(read("county-general-budget.txt"))
    assert ("sum", "12.36亿元", ("8.37亿元", "3.99亿元")) in found
    assert ("sum", "48亿元", ("12.36亿元", "25.48亿元", "6.5亿元", "2.11亿元", "1.55亿元")) in found
    assert ("sum", "47.07亿元", ("41.27亿元", "1.2亿元", "4.6亿元")) in found
    assert ("rate", "101.2%", ("12.36亿元", "12.21亿元")) in found
    assert ("diff", "0.93亿元", ("48亿元", "47.07亿元")) in found
    assert ("sum", "12个", ("5个", "4个", "3个")) in found


def test_a_chain_starts_at_the_figure_that_makes_it_exact_not_at_its_parts():
    """The parts of 12.36 (8.37 + 3.99) add up to 48 as well: the chain names 12.36 itself."""
    chain = [r for r in relations(read("county-general-budget.txt")) if r[1] == "48亿元" and r[0] == "sum"]
    assert chain[0][2][0] == "12.36亿元"


def test_sign_words_make_declines_negative():
    found = {f.printed: f for f in extract(read("county-general-budget.txt")).found}
    assert found["下降1.9%"].sign == -1 and found["下降1.9%"].figure.value == Decimal("-1.9")
    assert found["24.6%"].sign == 1 and found["24.6%"].figure.value == Decimal("24.6")


def test_a_decline_against_last_year_is_a_negative_growth_that_holds():
    """较上年（11.2亿元）下降12.5%: 9.8 / 11.2 − 1 = −12.5% exactly."""
    extraction = extract(read("county-general-budget.txt"), str(FIXTURES / "county-general-budget.txt"))
    (growth,) = [p for p in extraction.proposals if p.kind == "growth"]
    assert (growth.total.printed, [f.printed for f in growth.parts], growth.holds) == (
        "下降12.5%", ["9.8亿元", "11.2亿元"], True)


def test_annex_table_totals_under_a_declared_unit():
    extraction = extract(read("annex-table.txt"))
    assert [(f.printed, f.unit.symbol, f.cell) for f in extraction.found][:2] == [("12500", "万元", True), ("12380.5", "万元", True)]
    assert relations(read("annex-table.txt")) == [
        ("sum", "77000", ("12500", "45600", "18900")),
        ("sum", "76600.7", ("12380.5", "45210", "19010.2")),
    ]


def _written(tmp_path, name: str, lines: list[str]) -> str:
    """A changed copy of a fixture report, written out: the draft's citations are checked against it."""
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_a_wrong_table_total_is_proposed_and_fails(tmp_path):
    """A table's 合计 row is structure enough: its sum is proposed whether or not it holds."""
    lines = read("annex-table.txt")
    lines[lines.index("\t77000")] = "\t77100"
    report = _written(tmp_path, "annex-table.txt", lines)
    case = Case.of(draft_case(extract(lines, report), str(tmp_path / "draft.yaml")))
    findings = case.check().findings
    assert [(f.rule, sorted(s.line for s in f.statements)[-1]) for f in findings] == [("parts-sum", 22)]


def test_no_sum_is_proposed_by_coincidence_of_counts():
    """Small counts add up by chance: without a total word nothing is proposed."""
    assert relations("引进企业3个，培育企业2个，新增企业5个。") == []
    assert relations("共引进企业5个，其中培育企业3个、新增企业2个。")[0][:2] == ("sum", "5个")


def test_subset_search_stays_inside_a_marked_list():
    text = [
        "（一）资金安排",
        "共安排资金900万元，具体如下：",
        "1. 甲类项目。支持10家企业400万元，每家最高奖励50万元。",
        "2. 乙类项目。支持8家企业500万元。",
        "（二）其他",
        "3. 丙类项目。支持2家企业100万元。",
    ]
    found = relations(text)
    assert found == [("sum", "900万元", ("400万元", "500万元"))]


def test_a_cap_after_其中_is_not_a_part():
    assert relations("支持企业400万元，其中单个企业最高奖励50万元。") == []
    assert relations("支持企业400万元，其中区级资金150万元。") == [("partial", "400万元", ("150万元",))]


def test_a_list_whose_items_do_not_add_up_proposes_nothing():
    text = ["共安排资金1000万元，具体如下：", "1. 甲类。给予400万元。", "2. 乙类。给予500万元。"]
    assert relations(text) == []


def test_growth_from_last_years_figure_is_proposed_even_when_it_fails():
    (growth,) = [p for p in extract("征集项目411个，较去年（297个）同比增长30.9%。").proposals if p.kind == "growth"]
    assert (growth.total.printed, growth.holds) == ("30.9%", False)


def test_growth_against_a_printed_change():
    """支出完成41.27亿元，比上年增加1.24亿元，增长3.1%: 1.24 / (41.27 − 1.24) = 3.098%."""
    (growth,) = [p for p in extract(read("county-general-budget.txt")).proposals if p.kind == "growth-change"]
    assert (growth.total.printed, [f.printed for f in growth.parts], growth.holds) == ("3.1%", ["41.27亿元", "1.24亿元"], True)
    wrong = extract("收入完成9.8亿元，比上年减少1.4亿元，下降14.3%。").proposals  # 1.4 / 9.8, not / 11.2
    assert [(p.kind, p.total.printed, p.holds) for p in wrong] == [("growth-change", "下降14.3%", False)]


def test_a_wrong_growth_is_a_finding_of_the_run(tmp_path):
    lines = read("county-general-budget.txt")
    lines = [line.replace("增长3.1%", "增长3.0%") for line in lines]
    case = Case.of(draft_case(extract(lines, _written(tmp_path, "x.txt", lines)), str(tmp_path / "d.yaml")))
    assert [(f.rule, str(f.printed)) for f in case.check().findings] == [("growth", "3.0")]


def test_an_overrun_is_the_difference_of_two_figures_before_it():
    text = "年初预算19250万元，全年支出合计21993.8256万元，超出预算部分2743.8256万元通过其他资金列支。"
    assert relations(text) == [("diff", "2743.8256万元", ("21993.8256万元", "19250万元"))]


def test_a_rate_of_two_counts():
    text = "有12家企业进行了申报，8家企业获得支持，申报支持率超过66.6%。"
    assert relations(text) == [("rate", "超过66.6%", ("8家", "12家"))]


def test_parts_among_a_total():
    text = "参与评审的64个项目中，建议支持的项目3个，不建议支持的项目6个。另一类优先支持5个，不建议支持50个。"
    assert relations(text) == [("sum", "64个", ("3个", "6个", "5个", "50个"))]


def test_a_run_of_lines_after_a_total():
    text = [
        "（一）整体执行情况",
        "共审议通过资金申请，金额合计4496.168万元。",
        "（二）具体执行情况",
        "1.对5家机构给予开办补助，金额合计2150万元。",
        "2.对2家机构给予购房补贴，金额合计2346.168万元。",
        "3.对1家平台给予补贴，另有补助标准为每家100万元、200万元。",
    ]
    assert relations(text) == [("sum", "4496.168万元", ("2150万元", "2346.168万元"))]
    assert relations(text[:2] + ["1.给予补助2000万元。", "2.给予补贴2496.16万元。"]) == []  # not exact: nothing


def test_a_rate_against_a_printed_overrun():
    """收入完成0.56亿元，超预算0.06亿元，为预算的112%: the budget is 0.56 − 0.06 = 0.5, and 0.56 / 0.5 = 112%."""
    (rate,) = [p for p in extract(read("county-general-budget.txt")).proposals if p.kind == "rate-change"]
    assert (rate.total.printed, [f.printed for f in rate.parts], rate.holds) == ("112%", ["0.56亿元", "0.06亿元"], True)
    (wrong,) = extract("收入完成56000万元，超预算6000万元，为预算的110.7%。").proposals  # 56000 / (56000 + 6000)
    assert (wrong.kind, wrong.holds) == ("rate-change", False)


def test_brackets_break_a_total_down():
    assert relations("招生1530人（初中720人、高中810人）。") == [("sum", "1530人", ("720人", "810人"))]


def test_headings_and_documents():
    assert [heading_level(t) for t in ("附件2", "一、基本情况", "（一）收入", "1. 税收", "（1）增值税", "正文。")] == [
        0, 1, 2, 3, 4, None]
    shape = outline(read("county-general-budget.txt"))
    assert shape.section_of(7).title == "（一）一般公共预算"
    assert shape.section_of(11).title == "（二）政府性基金预算"
    assert shape.document_of(7) == shape.document_of(11)


def test_drafts_load_and_round_trip(tmp_path):
    for name in ("county-general-budget.txt", "annex-table.txt"):
        extraction = extract(read(name), str(FIXTURES / name))
        output = tmp_path / "draft.yaml"
        output.write_text(draft_yaml(extraction, str(output)), encoding="utf-8")
        case = fiscalcheck.load(output)
        assert all(r.proposed and r.because.startswith("because: ") for r in case.relations)
        again = fiscalcheck.loads(fiscalcheck.dump(case, output), str(output))  # source paths relative to it
        assert again.relations == case.relations and again.nodes == case.nodes
        assert case.check().findings == ()


# -- properties -----------------------------------------------------------------------

_AMOUNTS = st.lists(st.builds(lambda n, places: Decimal(n).scaleb(-places),
                              st.integers(min_value=1, max_value=10**6), st.integers(min_value=0, max_value=2)),
                    min_size=2, max_size=6)
_NAMES = "甲乙丙丁戊己"


def _sentence(total: Decimal, parts: list[Decimal]) -> str:
    items = "，".join(f"{_NAMES[i]}类项目{format(p, 'f')}万元" for i, p in enumerate(parts))
    return f"全年共安排资金{format(total, 'f')}万元，其中{items}。"


@given(_AMOUNTS)
def test_a_split_that_adds_up_is_proposed_with_all_its_parts(parts):
    total = sum(parts, Decimal(0))
    found = [r for r in relations(_sentence(total, parts)) if r[0] == "sum"]
    assert found == [("sum", format(total, "f") + "万元", tuple(format(p, "f") + "万元" for p in parts))]


_CENTS = st.lists(st.builds(lambda n: Decimal(n).scaleb(-2), st.integers(min_value=1, max_value=10**8)),
                  min_size=2, max_size=6)


@given(_CENTS, st.integers(min_value=1, max_value=1000))
def test_a_split_that_does_not_add_up_is_never_proposed_as_exhaustive(parts, off):
    """No false alarm from a proposal: a total off by more than the rounding of its parts (0.01万元
    each) gets at most a partial (>=) proposal, which holds."""
    total = sum(parts, Decimal(0)) + off
    extraction = extract(_sentence(total, parts))
    assert all(p.holds for p in extraction.proposals)
    assert not [p for p in extraction.proposals if p.kind == "sum" and p.total.figure.value == total
                and len(p.parts) == len(parts)]


# ---- parallel breakdowns, second breakdowns, 另有/此外, summary against annex, restated items ----

SCHOOL = ("总建筑面积5000.50平方米（地上为3600.30平方米，地下为1400.20平方米），其中主楼4000.40平方米"
          "（地上2800.25平方米，主要为教室；地下1200.15平方米，主要为车库），体育馆900.05平方米（地上700.00平方米，"
          "主要为场馆；地下200.05平方米，主要为设备用房）；门卫室建筑面积100.05平方米（全部为地上）。")


def test_a_parallel_breakdown_sums_each_label_over_the_items():
    """地上 3600.30 = 2800.25 + 700.00 + 100.05 (门卫室 全部为地上), 地下 1400.20 = 1200.15 + 200.05."""
    found = relations(SCHOOL)
    assert ("sum", "3600.30平方米", ("2800.25平方米", "700.00平方米", "100.05平方米")) in found
    assert ("sum", "1400.20平方米", ("1200.15平方米", "200.05平方米")) in found


def test_a_total_keeps_both_of_its_breakdowns():
    """5000.50 is 地上 + 地下 and also 主楼 + 体育馆 + 门卫室: two relations, both proposed."""
    found = relations(SCHOOL)
    assert ("sum", "5000.50平方米", ("3600.30平方米", "1400.20平方米")) in found
    assert ("sum", "5000.50平方米", ("4000.40平方米", "900.05平方米", "100.05平方米")) in found


def test_a_parallel_breakdown_that_does_not_add_up_is_not_proposed():
    found = relations(SCHOOL.replace("地下200.05", "地下210.05"))
    assert not [r for r in found if r[1] == "1400.20平方米" and len(r[2]) == 2 and r[2][0] == "1200.15平方米"]


def test_a_coarse_total_over_a_run_of_named_lines():
    """共计2800万元 (two significant digits) is met by three sub-items that each name their 总计."""
    text = [
        "共计奖励2800万元，用于企业奖励。",
        "（二）具体执行情况",
        "1. 辅导期奖励",
        "对2家企业分别给予奖励150万元，总计奖励金额300万元。",
        "2. 境内上市奖励",
        "对3家企业分别给予奖励500万元，总计奖励金额1500万元。",
        "3. 并购奖励",
        "符合标准的企业共4家，总计奖励金额1000万元。",
    ]
    assert ("sum", "2800万元", ("300万元", "1500万元", "1000万元")) in relations(text)
    unnamed = [line.replace("分别给予奖励150万元，", "").replace("分别给予奖励500万元，", "").replace("总计奖励金额", "奖励")
               for line in text]
    assert not [r for r in relations(unnamed) if r[1] == "2800万元"]  # a coarse total needs named lines


def test_besides_adds_a_part_printed_lines_away():
    text = [
        "（一）审议情况",
        "共审议通过政策申请，金额共计9772.3996万元；对其中的机构于年内安排资金，金额共计5954.0083万元。",
        "（二）执行情况",
        "1.对5家机构给予开办补助，金额2150万元。",
        "（三）未执行情况",
        "经与企业沟通，另有15家机构的资金将于明年兑现，金额共计3818.39万元。",
    ]
    found = relations(text)
    assert ("sum", "9772.3996万元", ("5954.0083万元", "3818.39万元")) in found
    assert not [r for r in relations([line.replace("3818.39", "3828.39") for line in text]) if r[1] == "9772.3996万元"]


def test_besides_counts_need_their_part_after_其中():
    assert ("sum", "49家", ("34家", "15家")) in relations(["共审议49家，其中34家已兑现。", "另有15家明年兑现。"])
    assert relations(["共审议49家，已兑现34家。", "另有15家明年兑现。"]) == []


ANNEXED = [
    "区发改委关于产业资金预算执行情况的汇报",
    "今年以来，各产业办加强政策宣传，资金安排有序开展。",
    "",
    "其他各项费用：产业资金列支培育计划工作、数据库建设运维约390万元。文化资金列支人才奖励、展会活动经费等共计约300万元。",
    "",
    "整体来看，资金执行效果良好。",
    "",
    "附件1",
    "区中小企业资金执行情况的报告",
    "共安排资金1000万元。此外，培育计划工作费用241.88万元，数据库建设和运维项目费用175万元。",
    "附件2",
    "区文化资金执行情况的报告",
    "列支高端人才奖励经费182.5万元，列支展会专题展活动经费87.568万元。",
]


def test_a_summary_names_the_annex_items_of_its_figure():
    """约390万元 for 培育计划工作、数据库建设运维 = 241.88 + 175 = 416.88 (outside 385–395: a finding);
    约300万元 for 人才奖励、展会活动经费等 is at least 182.5 + 87.568."""
    extraction = extract(ANNEXED)
    found = {(p.kind, p.total.printed, tuple(f.printed for f in p.parts)): p for p in extraction.proposals}
    wrong = found[("sum", "约390万元", ("241.88万元", "175万元"))]
    assert not wrong.holds
    assert found[("partial", "约300万元", ("182.5万元", "87.568万元"))].holds


def test_a_summary_name_matches_only_in_its_own_annexes():
    """The same items in the summary's own document, or in a document that is no annex of it, are not its items."""
    alone = ANNEXED[:7] + ["区另一份报告", "此外，培育计划工作费用241.88万元，数据库建设和运维项目费用175万元。"]
    assert not [p for p in extract(alone).proposals if p.total.printed == "约390万元"]


def test_an_item_restated_later_is_the_figure_the_sum_uses():
    """共拨付3044.3万元 = 2800 + 44.3 + 200 (加速器项目 兑现200万元), not + 196.352176."""
    text = ("共申请并拨付资金3044.3万元。用于上市奖励等项目，共计2800万元；评审费44.3万元；企业上市加速器项目（含代理费）"
            "196.352176万元。其中企业上市加速器项目申请并兑现200万元，剩余36478.24元退回。")
    assert ("sum", "3044.3万元", ("2800万元", "44.3万元", "200万元")) in relations(text)


def test_a_round_part_of_an_exact_sum_is_read_as_printed(tmp_path):
    """With 200万元 exact by the report's sum, a refund 150元 off is a finding; the right refund is none."""
    text = ("共申请并拨付资金3044.3万元。用于上市奖励等项目，共计2800万元；评审费44.3万元；企业上市加速器项目（含代理费）"
            "196.352176万元。其中企业上市加速器项目申请并兑现200万元，剩余{}元退回。")
    def findings(refund):
        report = _written(tmp_path, f"r{refund}.txt", [text.format(refund)])
        case = Case.of(draft_case(extract(text.format(refund), report), str(tmp_path / "d.yaml")))
        return [f.rule for f in case.check().findings]
    assert findings("36478.24") == []
    assert findings("36628.24") == ["remainder"]


def test_a_sentence_opened_by_其中_breaks_down_a_figure_of_the_sentence_before():
    """已拨付2863.45万元 = 1820.2 + 743.25 + 300, though 结余136.55万元 stands between them."""
    text = ("安排就业补助资金3000万元，已拨付2863.45万元，结余136.55万元。其中，发放岗位补贴1820.2万元，"
            "支付培训费用743.25万元，列支社会保险补贴300万元。")
    found = relations(text)
    assert ("sum", "2863.45万元", ("1820.2万元", "743.25万元", "300万元")) in found
    off = relations(text.replace("300万元", "310万元"))  # adds up to no figure before: nothing of the kind
    assert [r for r in off if r[2] == ("1820.2万元", "743.25万元", "310万元")] == []


def test_a_count_after_其中_is_some_of_the_count_that_has_its_noun():
    text = "全区有45家规上工业企业参加评价，30家企业获评A类。其中8家规上工业企业为首次参评。"
    assert ("partial", "45家", ("8家",)) in relations(text)
    # a count of another noun is not a part, even of the only count before it
    assert relations("全区有45家规上工业企业参加评价。其中8家为首次参评。") == []


def test_lower_bounds_after_其中_of_the_same_measure_narrow_one_another():
    """Each 超过 part is a part of the one before it (86.5亿 >= 40亿 >= 15亿), not a sibling to add up."""
    text = ("全年完成固定资产投资86.5亿元，其中重点项目完成固定资产投资超过40亿元，"
            "列入市级计划的12个项目完成固定资产投资超过15亿元。")
    found = relations(text)
    assert ("partial", "86.5亿元", ("超过40亿元",)) in found
    assert ("partial", "超过40亿元", ("超过15亿元",)) in found
    siblings = "全年完成固定资产投资86.5亿元，其中工业投资超过40亿元，基础设施投资超过15亿元。"
    assert [r for r in relations(siblings) if r[1] == "超过40亿元"] == []


def test_a_figure_taken_out_leaves_the_figure_after_it():
    text = "计划新建社区养老驿站40个，因选址原因，将6个驿站从年度计划中剔除，实际建成34个。"
    assert relations(text) == [("diff", "34个", ("40个", "6个"))]
    assert relations(text.replace("34个", "33个")) == []


def test_a_count_over_a_list_whose_items_do_not_all_print_one_is_a_partial():
    """An item that names one firm prints no count: the counts printed are some of the total."""
    text = [
        "共支持企业28家，具体如下：",
        "（1）甲类：对某甲科技有限公司予以支持。",
        "（2）乙类：对某乙公司等12家企业予以支持。",
        "（3）丙类：对某丙公司等15家企业予以支持。",
    ]
    assert relations(text) == [("partial", "28家", ("12家", "15家"))]
    assert relations([text[0].replace("28家", "20家"), *text[1:]]) == []  # the items pass it: no proposal


def test_an_item_of_a_list_itemises_another_figure_of_its_opening_line():
    text = [
        "支持项目金额1200万元；另有评审、审计等其他费用48.5万元，合计安排1248.5万元，具体如下：",
        "（1）甲类：安排资金700万元。",
        "（2）乙类：安排资金500万元。",
        "（3）其他费用：评审费用20万元；审计费用28.5万元。",
    ]
    found = relations(text)
    assert ("sum", "48.5万元", ("20万元", "28.5万元")) in found
    assert ("sum", "1200万元", ("700万元", "500万元")) in found
    off = relations([*text[:3], text[3].replace("28.5万元", "30万元")])
    assert [r for r in off if r[1] == "48.5万元"] == []


def test_a_list_items_title_again_in_a_later_paragraph_breaks_its_count_down():
    text = [
        "全年共支持项目60个，具体如下：",
        "（1）绿色建筑类。对某甲公司等22个项目给予补助。",
        "（2）节能改造类。对某乙公司等38个项目给予补助。",
        "三、实施效果",
        "绿色建筑类示范带动明显，其中3个项目获评国家级示范；节能改造类成效突出，30个公共建筑项目完成改造，8个工业项目通过验收。",
    ]
    found = relations(text)
    assert ("sum", "60个", ("22个", "38个")) in found
    assert ("partial", "22个", ("3个",)) in found
    assert ("sum", "38个", ("30个", "8个")) in found
    off = relations([*text[:4], text[4].replace("8个工业", "7个工业").replace("其中3个", "3个")])
    assert [r for r in off if r[1] in ("22个", "38个")] == []


@given(st.integers(10, 500), st.integers(1, 9), st.integers(0, 600))
def test_a_removal_is_proposed_exactly_when_it_holds(whole, taken, left):
    text = f"计划新建社区驿站{whole}个，将{taken}个驿站从年度计划中剔除，实际建成{left}个。"
    diffs = [r for r in relations(text) if r[0] == "diff"]
    assert diffs == ([("diff", f"{left}个", (f"{whole}个", f"{taken}个"))] if whole - taken == left else [])


@given(st.lists(st.integers(101, 99999), min_size=2, max_size=4), st.integers(-3, 3))
@example(parts=[101, 199], off=0)  # 3.00万元: printed to three digits though its value is 3 (found in CI)
def test_a_sentence_opened_by_其中_is_a_sum_exactly_when_it_adds_up(parts, off):
    """Off by more than the rounding of the printed figures (a cent a figure), no sum is proposed
    (the budget and what is left end in .5, so the parts never meet them by chance)."""
    total = sum(parts) + off * (len(parts) + 1)
    printed = [f"{Decimal(p).scaleb(-2)}万元" for p in parts]
    budget = (total + 12345) * 10 + 5  # in tenths of a cent: what is left, 结余123.455万元, stands between
    text = (f"安排资金{Decimal(budget).scaleb(-3)}万元，已拨付{Decimal(total).scaleb(-2)}万元，"
            f"结余{Decimal(budget - total * 10).scaleb(-3)}万元。其中，"
            + "，".join(f"第{i + 1}类支出{p}" for i, p in enumerate(printed)) + "。")
    sums = [r for r in relations(text) if r[1] == f"{Decimal(total).scaleb(-2)}万元" and r[0] == "sum"]
    assert sums == ([("sum", f"{Decimal(total).scaleb(-2)}万元", tuple(printed))] if off == 0 else [])
