def post_init_hook(env):
    """Give the companies already on the Indonesian chart the board's set."""
    term = env.ref("tirta_water.account_payment_term_cicilan_3")
    companies = env["res.company"].search([])
    companies.filtered(lambda c: not c.water_connection_payment_term_id).write(
        {"water_connection_payment_term_id": term.id}
    )
    companies._setup_water_accounts()
