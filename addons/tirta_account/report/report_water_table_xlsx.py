from odoo import models


class ReportWaterTableXlsx(models.AbstractModel):
    _name = "report.tirta_account.report_water_table_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Water Board Report (XLSX)"

    def _get_objs_for_report(self, docids, data):
        return self.env["water.report.wizard"].browse(docids)

    def generate_xlsx_report(self, workbook, data, wizards):
        formats = {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "head": workbook.add_format({"bold": True, "bottom": 1}),
            "text": workbook.add_format({}),
            "int": workbook.add_format({"num_format": "#,##0"}),
            "money": workbook.add_format({"num_format": "#,##0"}),
            "percent": workbook.add_format({"num_format": "0.00"}),
            "number": workbook.add_format({"num_format": "#,##0.##"}),
        }
        bold = {
            kind: workbook.add_format({"bold": True, "top": 1, "num_format": fmt})
            for kind, fmt in (
                ("text", "@"),
                ("int", "#,##0"),
                ("money", "#,##0"),
                ("percent", "0.00"),
                ("number", "#,##0.##"),
            )
        }
        for wizard in wizards:
            report = wizard._with_report_lang()._get_report_data()
            sheet = workbook.add_worksheet(report["title"][:31])
            sheet.set_column(0, 0, 28)
            sheet.set_column(1, 12, 16)
            sheet.write(0, 0, report["title"], formats["title"])
            sheet.write(1, 0, report["company"])
            sheet.write(2, 0, report["subtitle"])
            row = 4
            for table in report["tables"]:
                row = self._write_table(sheet, row, table, formats, bold)
                row += 1

    def _write_table(self, sheet, row, table, formats, bold):
        """Write one table from ``row``; return the first row after it."""
        sheet.write(row, 0, table["title"], formats["head"])
        row += 1
        kinds = [column["type"] for column in table["columns"]]
        for col, column in enumerate(table["columns"]):
            sheet.write(row, col, column["label"], formats["head"])
        row += 1
        for values in table["rows"]:
            for col, value in enumerate(values):
                sheet.write(row, col, value, formats[kinds[col]])
            row += 1
        if table["totals"]:
            for col, value in enumerate(table["totals"]):
                sheet.write(row, col, value, bold[kinds[col]])
            row += 1
        return row
