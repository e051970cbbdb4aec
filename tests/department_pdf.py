"""A small department final-accounts PDF written with reportlab, for tests: its figures chosen by hand.

Page 1: 支出决算表 (title, 单位 line, header, 合计 and three rows); page 2: its continuation (one
row, no title, no unit line); page 3: 一般公共预算财政拨款支出决算表; page 4: a line of 情况说明.
``change`` replaces a cell's text, ``drop`` leaves a row out, ``unit`` swaps the 单位 line of
table 5 — the defective copies.
"""

from __future__ import annotations

HEADER = ("类", "款", "项", "科目名称", "本年支出合计", "基本支出", "项目支出")
GENERAL_HEADER = ("类", "款", "项", "科目名称", "合计", "基本支出", "项目支出")
SPENDING = [
    ("", "", "", "合计", "30.00", "20.00", "10.00"),
    ("201", "", "", "一般公共服务支出", "30.00", "20.00", "10.00"),
    ("201", "06", "", "财政事务", "30.00", "20.00", "10.00"),
    ("201", "06", "01", "行政运行", "20.00", "20.00", ""),
]
CONTINUED = [("201", "06", "02", "一般行政管理事务", "10.00", "", "10.00")]
GENERAL = [
    ("201", "", "", "一般公共服务支出", "30.00", "20.00", "10.00"),
    ("201", "06", "", "财政事务", "30.00", "20.00", "10.00"),
    ("201", "06", "01", "行政运行", "20.00", "20.00", ""),
    ("201", "06", "02", "一般行政管理事务", "10.00", "", "10.00"),
    ("合计", "", "", "", "30.00", "20.00", "10.00"),
]
NARRATIVE = "一般公共预算财政拨款支出30.00万元，其中：基本支出20.00万元，占66.67%。"
COLUMNS = (40, 75, 110, 145, 300, 390, 470, 555)


def department_pdf(path, *, change=None, drop=None, unit="万元", ruled=True) -> str:
    """Write the PDF; ``change=(page, row, column, text)``, ``drop=(page, row)`` (rows as printed, from 1).

    ``ruled=False`` draws no table lines: the tables are found by text alignment.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    height = A4[1]

    def grid(page: int, rows, top) -> None:
        printed = []
        for number, row in enumerate(rows, start=1):
            if drop == (page, number):
                continue
            if change and change[:2] == (page, number):
                row = tuple(change[3] if j == change[2] else text for j, text in enumerate(row))
            printed.append(row)
        for i, row in enumerate(printed):
            for j, text in enumerate(row):
                pdf.drawString(COLUMNS[j] + 3, top - 20 * i - 14, text)
        if not ruled:
            return
        for i in range(len(printed) + 1):
            pdf.line(COLUMNS[0], top - 20 * i, COLUMNS[-1], top - 20 * i)
        for x in COLUMNS:
            pdf.line(x, top, x, top - 20 * len(printed))

    def titled(title: str, unit_text: str) -> None:
        pdf.drawString(220, height - 60, title)
        pdf.drawString(470, height - 80, f"单位：{unit_text}")

    pdf.setFont("STSong-Light", 11)
    titled("支出决算表", "万元")
    grid(1, [HEADER, *SPENDING], height - 90)
    pdf.showPage()
    pdf.setFont("STSong-Light", 11)
    grid(2, CONTINUED, height - 60)
    pdf.showPage()
    pdf.setFont("STSong-Light", 11)
    titled("一般公共预算财政拨款支出决算表", unit)
    grid(3, [GENERAL_HEADER, *GENERAL], height - 90)
    pdf.showPage()
    pdf.setFont("STSong-Light", 11)
    pdf.drawString(60, height - 60, "五、一般公共预算财政拨款支出决算情况说明")
    pdf.drawString(60, height - 80, NARRATIVE)
    pdf.showPage()
    pdf.save()
    return str(path)
