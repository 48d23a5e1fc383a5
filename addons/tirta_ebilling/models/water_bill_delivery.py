import logging
from datetime import timedelta
from urllib.parse import quote

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import split_every

_logger = logging.getLogger(__name__)

DELIVERY_CHUNK_SIZE = 100
# payment states of a bill that needs no reminder
SETTLED_PAYMENT_STATES = ("paid", "in_payment", "reversed")
# a reminder missed by a stopped server still goes this many days late, not later
REMINDER_CATCH_UP_DAYS = 7
# (stage, channel): xml id of the template of the message
TEMPLATES = {
    ("bill", "email"): "tirta_ebilling.mail_template_water_bill",
    ("before_due", "email"): "tirta_ebilling.mail_template_water_reminder_before",
    ("after_due", "email"): "tirta_ebilling.mail_template_water_reminder_after",
    ("bill", "whatsapp"): "tirta_ebilling.sms_template_water_bill_whatsapp",
    ("before_due", "whatsapp"): (
        "tirta_ebilling.sms_template_water_reminder_before_whatsapp"
    ),
    ("after_due", "whatsapp"): (
        "tirta_ebilling.sms_template_water_reminder_after_whatsapp"
    ),
    ("bill", "sms"): "tirta_ebilling.sms_template_water_bill_sms",
    ("before_due", "sms"): "tirta_ebilling.sms_template_water_reminder_before_sms",
    ("after_due", "sms"): "tirta_ebilling.sms_template_water_reminder_after_sms",
}


class WaterBillDelivery(models.Model):
    _name = "water.bill.delivery"
    _description = "Bill Delivery"
    _order = "id desc"
    _rec_name = "move_id"

    move_id = fields.Many2one(
        "account.move",
        string="Bill",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    connection_id = fields.Many2one(
        related="move_id.water_connection_id", store=True, index=True
    )
    partner_id = fields.Many2one(related="move_id.partner_id", string="Customer")
    period_id = fields.Many2one(related="move_id.water_period_id", store=True)
    company_id = fields.Many2one(related="move_id.company_id", store=True)
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount_residual = fields.Monetary(
        related="move_id.amount_residual", string="Amount Due"
    )
    invoice_date_due = fields.Date(related="move_id.invoice_date_due")
    stage = fields.Selection(
        [
            ("bill", "New Bill"),
            ("before_due", "Before Due Date"),
            ("after_due", "After Due Date"),
        ],
        required=True,
        readonly=True,
    )
    channel = fields.Selection(selection="_selection_channel", required=True)
    state = fields.Selection(
        [
            ("pending", "To Send"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("cancel", "Cancelled"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    recipient = fields.Char(
        string="Sent To", help="Mobile number (62...) or e-mail address."
    )
    message = fields.Text(help="Text of the WhatsApp message or SMS.")
    whatsapp_url = fields.Char(
        string="WhatsApp Link", compute="_compute_whatsapp_url", store=True
    )
    date_sent = fields.Datetime(string="Sent On", readonly=True)
    error = fields.Text(readonly=True)
    mail_message_id = fields.Many2one(
        "mail.message", string="Logged Message", readonly=True, ondelete="set null"
    )

    _sql_constraints = [
        (
            "move_stage_uniq",
            "unique(move_id, stage)",
            "A bill is sent only once at each stage.",
        ),
    ]

    @api.model
    def _selection_channel(self):
        # the connection's choices, with their labels in the user's language
        field = self.env["water.connection"]._fields["delivery_channel"]
        return field._description_selection(self.env)

    @api.depends("channel", "recipient", "message")
    def _compute_whatsapp_url(self):
        for delivery in self:
            if delivery.channel == "whatsapp" and delivery.recipient:
                delivery.whatsapp_url = "https://wa.me/%s?text=%s" % (
                    delivery.recipient,
                    quote(delivery.message or "", safe=""),
                )
            else:
                delivery.whatsapp_url = False

    # ------------------------------------------------------------------
    # Creating the deliveries
    # ------------------------------------------------------------------

    @api.model
    def _deliver(self, moves, stage):
        """Log and send ``stage`` for each water bill of ``moves``, once.

        Bills that already have a delivery of this stage are left alone, so a
        second call sends nothing more.

        :return: the new ``water.bill.delivery`` records
        """
        moves = moves.filtered(lambda m: m._is_water_bill() and m.state == "posted")
        done = self.search([("move_id", "in", moves.ids), ("stage", "=", stage)])
        moves -= done.move_id
        deliveries = self.create(
            [self._prepare_delivery_vals(move, stage) for move in moves]
        )
        deliveries._render_messages()
        deliveries._send()
        return deliveries

    @api.model
    def _prepare_delivery_vals(self, move, stage):
        """Values of the delivery of ``move`` at ``stage``, by its channel."""
        connection = move.water_connection_id
        channel = (
            connection.delivery_channel or connection._get_default_delivery_channel()
        )
        return {
            "move_id": move.id,
            "stage": stage,
            "channel": channel,
            "recipient": self._get_recipient(connection, channel),
        }

    @api.model
    def _get_recipient(self, connection, channel):
        """The number or address ``channel`` sends to for ``connection``."""
        if channel in ("whatsapp", "sms"):
            return connection._get_mobile_number()
        if channel == "email":
            return connection.partner_id.email
        return False

    def _get_template(self):
        """The mail or SMS template of this delivery's stage and channel."""
        self.ensure_one()
        xmlid = TEMPLATES.get((self.stage, self.channel))
        template = xmlid and self.env.ref(xmlid, raise_if_not_found=False)
        if not template:
            raise UserError(
                self.env._(
                    "There is no message template for %(stage)s by %(channel)s.",
                    stage=self._get_selection_label("stage"),
                    channel=self._get_selection_label("channel"),
                )
            )
        return template

    def _get_selection_label(self, field_name):
        self.ensure_one()
        selection = dict(self._fields[field_name]._description_selection(self.env))
        return selection.get(self[field_name], self[field_name])

    def _render_messages(self):
        """Write the text of WhatsApp and SMS deliveries, one render per template.

        A template that cannot be rendered (edited by staff, say) fails its
        deliveries only: the bills stay posted.
        """
        texts = self.filtered(lambda d: d.channel in ("whatsapp", "sms"))
        for key in {(d.stage, d.channel) for d in texts}:
            group = texts.filtered(lambda d, key=key: (d.stage, d.channel) == key)
            try:
                with self.env.cr.savepoint():
                    template = group[:1]._get_template()
                    bodies = template._render_field(
                        "body", group.move_id.ids, compute_lang=True
                    )
            except Exception as error:  # a broken template stops no other bill
                _logger.info("Bill message template %s failed: %s", key, error)
                group.write({"state": "failed", "error": str(error)})
                continue
            for delivery in group:
                delivery.message = bodies[delivery.move_id.id]

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def _send(self):
        """Send the pending deliveries of ``self``.

        Each delivery is its own unit of work: a failure rolls back that one
        only, is written on its row (state failed, error) and the others go on.
        """
        pending = self.filtered(lambda d: d.state == "pending")
        sent = failed = 0
        for chunk in split_every(DELIVERY_CHUNK_SIZE, pending.ids, self.browse):
            for delivery in chunk:
                try:
                    with self.env.cr.savepoint():
                        is_sent = delivery._send_one()
                except Exception as error:  # one bill's failure stops no other
                    _logger.info(
                        "Bill delivery %s (%s by %s) failed: %s",
                        delivery.id,
                        delivery.move_id.name,
                        delivery.channel,
                        error,
                    )
                    delivery.write({"state": "failed", "error": str(error)})
                    failed += 1
                    continue
                if is_sent:
                    delivery._mark_sent()
                    sent += 1
        _logger.info(
            "Bill deliveries: %s sent, %s failed, %s waiting for staff",
            sent,
            failed,
            len(pending) - sent - failed,
        )

    def _send_one(self):
        """Send by the channel's method ``_send_<channel>``.

        :return: True when the message left, False when it waits for staff
        """
        self.ensure_one()
        method = getattr(self, f"_send_{self.channel}", None)
        if method is None:
            raise UserError(
                self.env._(
                    "Bills cannot be sent by %(channel)s.",
                    channel=self._get_selection_label("channel"),
                )
            )
        return method()

    def _check_recipient(self):
        self.ensure_one()
        if self.recipient:
            return
        if self.channel == "email":
            message = self.env._(
                "Customer %(customer)s of connection %(connection)s has no e-mail "
                "address.",
                customer=self.partner_id.display_name,
                connection=self.connection_id.name,
            )
        else:
            message = self.env._(
                "Customer %(customer)s of connection %(connection)s has no mobile "
                "number (08... or +62 8...).",
                customer=self.partner_id.display_name,
                connection=self.connection_id.name,
            )
        raise UserError(message)

    def _send_email(self):
        """Post the bill e-mail from its template on the bill's chatter."""
        self._check_recipient()
        messages = self.move_id.message_post_with_source(
            self._get_template(),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
            # queued for the mail cron: a billing run mails hundreds of bills
            force_send=False,
        )
        self.mail_message_id = messages[:1]
        return True

    def _send_sms(self):
        """Queue the SMS with Odoo's SMS module, logged on the bill."""
        self._check_recipient()
        message = self.move_id._message_sms(
            self.message,
            partner_ids=self.partner_id.ids,
            sms_pid_to_number={self.partner_id.id: f"+{self.recipient}"},
            put_in_queue=True,
        )
        self.mail_message_id = message
        return True

    def _send_whatsapp(self):
        self._check_recipient()
        return self.env["water.whatsapp.gateway"]._whatsapp_send(self)

    def _send_paper(self):
        # printed and brought by the collector: staff mark it delivered
        return False

    def _mark_sent(self):
        self.write(
            {"state": "sent", "date_sent": fields.Datetime.now(), "error": False}
        )
        for delivery in self.filtered(lambda d: d.channel == "whatsapp"):
            delivery.mail_message_id = delivery.move_id._message_log(
                body=self.env._(
                    "Sent by WhatsApp to %(number)s: %(message)s",
                    number=delivery.recipient,
                    message=delivery.message,
                )
            )
        self.filtered(lambda d: d.stage == "bill").move_id.is_move_sent = True

    # ------------------------------------------------------------------
    # Staff actions
    # ------------------------------------------------------------------

    def action_open_whatsapp(self):
        """Open the click-to-chat link in a new tab and count it as sent."""
        self.ensure_one()
        if self.state != "pending" or self.channel != "whatsapp":
            raise UserError(
                self.env._("Only a WhatsApp message to send can be opened.")
            )
        if (
            self.move_id.state != "posted"
            or self.move_id.payment_state in SETTLED_PAYMENT_STATES
        ):
            # paid since the message was prepared: nothing to ask for
            self.state = "cancel"
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "message": self.env._(
                        "Bill %(bill)s is already paid: its message was cancelled.",
                        bill=self.move_id.name,
                    ),
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        self._check_recipient()
        self._mark_sent()
        return {"type": "ir.actions.act_url", "url": self.whatsapp_url, "target": "new"}

    def action_mark_sent(self):
        """Record that paper bills were delivered, or messages sent by hand."""
        if self.filtered(lambda d: d.state != "pending"):
            raise UserError(self.env._("Only deliveries to send can be marked sent."))
        self._mark_sent()

    def action_retry(self):
        """Send failed deliveries again, to the connection's current channel."""
        retry = self.filtered(lambda d: d.state == "failed")
        for delivery in retry:
            connection = delivery.connection_id
            channel = connection.delivery_channel or delivery.channel
            delivery.write(
                {
                    "state": "pending",
                    "error": False,
                    "channel": channel,
                    "recipient": self._get_recipient(connection, channel),
                }
            )
        retry._render_messages()
        retry._send()

    def action_print_bills(self):
        """Print the bills of the selected deliveries, for paper delivery."""
        report = self.env.ref("tirta_ebilling.action_report_water_bill")
        return report.report_action(self.move_id)

    def action_cancel(self):
        self.filtered(lambda d: d.state in ("pending", "failed")).write(
            {"state": "cancel"}
        )

    # ------------------------------------------------------------------
    # Reminders
    # ------------------------------------------------------------------

    @api.model
    def _cron_send_reminders(self):
        """Daily: remind unpaid bills before and after their due date."""
        today = fields.Date.context_today(self)
        self._cancel_settled()
        for company in self.env["res.company"].search([]):
            for stage in ("before_due", "after_due"):
                bills = self._get_reminder_bills(company, stage, today)
                if bills:
                    self.with_company(company)._deliver(bills, stage)

    @api.model
    def _get_reminder_domain(self, company, stage, today):
        """Domain of the unpaid water bills of ``company`` due a reminder today."""
        if stage == "before_due":
            days = company.water_reminder_before_days
            # a bill dated today has just been sent; it needs no reminder yet
            window = [
                ("invoice_date_due", ">=", today),
                ("invoice_date_due", "<=", today + timedelta(days=days)),
                ("invoice_date", "<", today),
            ]
        else:
            days = company.water_reminder_after_days
            window = [
                ("invoice_date_due", "<=", today - timedelta(days=days)),
                (
                    "invoice_date_due",
                    ">",
                    today - timedelta(days=days + REMINDER_CATCH_UP_DAYS),
                ),
            ]
        if not days:
            return None
        return [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("water_connection_id", "!=", False),
            ("water_period_id", "!=", False),
            ("payment_state", "not in", SETTLED_PAYMENT_STATES),
            ("amount_residual", ">", 0),
            # a reminder on paper would cost a walk for a few days' notice
            ("water_connection_id.delivery_channel", "!=", "paper"),
            *window,
        ]

    @api.model
    def _get_reminder_bills(self, company, stage, today):
        domain = self._get_reminder_domain(company, stage, today)
        if domain is None:
            return self.env["account.move"]
        return self.env["account.move"].search(domain, order="invoice_date_due, id")

    @api.model
    def _cancel_settled(self):
        """Drop pending messages of bills paid or cancelled since."""
        self.search(
            [
                ("state", "=", "pending"),
                "|",
                ("move_id.state", "!=", "posted"),
                ("move_id.payment_state", "in", SETTLED_PAYMENT_STATES),
            ]
        ).write({"state": "cancel"})
