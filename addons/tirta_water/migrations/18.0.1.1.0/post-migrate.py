from odoo import SUPERUSER_ID, api

from odoo.addons.tirta_water.hooks import post_init_hook


def migrate(cr, version):
    """Databases installed before the account set get it on upgrade."""
    post_init_hook(api.Environment(cr, SUPERUSER_ID, {}))
