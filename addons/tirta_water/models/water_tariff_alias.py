import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class WaterTariffAlias(models.Model):
    _name = "water.tariff.alias"
    _description = "Tariff Group Spelling"
    _order = "tariff_id, name"

    name = fields.Char(
        string="Spelling",
        required=True,
        help="How the tariff group is written in the board's spreadsheets. Stored "
        "in lower case without surrounding spaces, so that 'Rumah Tangga ' and "
        "'RUMAH TANGGA' are one spelling.",
    )
    tariff_id = fields.Many2one(
        "water.tariff", string="Tariff Group", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "This spelling already points to a tariff group.",
        ),
    ]

    @api.model
    def _normalize(self, spelling):
        """Lower case, single spaces, no surrounding spaces."""
        return re.sub(r"\s+", " ", str(spelling or "")).strip().lower()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "name" in vals:
                vals["name"] = self._normalize(vals["name"])
        return super().create(vals_list)

    def write(self, vals):
        if "name" in vals:
            vals["name"] = self._normalize(vals["name"])
        return super().write(vals)

    @api.constrains("name")
    def _check_name(self):
        for alias in self:
            if not alias.name:
                raise ValidationError(self.env._("A spelling cannot be empty."))

    @api.constrains("tariff_id", "company_id")
    def _check_company(self):
        for alias in self:
            if alias.tariff_id.company_id != alias.company_id:
                raise ValidationError(
                    self.env._(
                        "The spelling %(spelling)s and its tariff group %(tariff)s "
                        "belong to different companies.",
                        spelling=alias.name,
                        tariff=alias.tariff_id.display_name,
                    )
                )

    @api.model
    def _get_mapping(self, company=None):
        """Return {normalised spelling: tariff} for one company.

        The tariff groups' own codes and names count as spellings too, so a
        register that writes "RT" or "Niaga" needs no alias; an alias wins
        over a code or name that reads the same.
        """
        company = company or self.env.company
        tariffs = self.env["water.tariff"].search([("company_id", "=", company.id)])
        mapping = {}
        for tariff in tariffs:
            mapping.setdefault(self._normalize(tariff.name), tariff)
        for tariff in tariffs:
            mapping[self._normalize(tariff.code)] = tariff
        for alias in self.search([("company_id", "=", company.id)]):
            mapping[alias.name] = alias.tariff_id
        return mapping
