/** @odoo-module **/

import {registry} from "@web/core/registry";

// A customer opens the link of a bill (no login) and pays it with the demo provider.
registry.category("web_tour.tours").add("tirta_ebilling_pay_water_bill", {
    steps: () => [
        {
            content: "The bill page shows the amount to pay",
            trigger: ".o_water_amount_to_pay",
        },
        {
            content: "Choose the demo payment method",
            trigger: "input[name='o_payment_radio'][data-provider-code='demo']",
            run: "click",
        },
        {
            content: "Enter test payment details",
            trigger: "input[name='customer_input']",
            run: "edit 4242424242424242",
        },
        {
            content: "Pay",
            trigger: "button[name='o_payment_submit_button']:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back on the bill, it is paid",
            trigger: ".o_water_bill_paid",
        },
    ],
});
