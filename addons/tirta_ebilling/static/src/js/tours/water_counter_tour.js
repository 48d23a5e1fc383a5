import {registry} from "@web/core/registry";

// A cashier scans a connection number, checks its three bills and pays them.
registry.category("web_tour.tours").add("tirta_ebilling_counter_tour", {
    steps: () => [
        {
            content: "The connection number field has the focus",
            trigger: ".o_field_widget[name=search_code] input:focus",
            run: "edit TM-0042",
        },
        {
            content: "Enter looks the connection up",
            trigger: ".o_field_widget[name=search_code] input",
            run: "press Enter",
        },
        {
            content: "Its three unpaid bills are listed",
            trigger:
                ".o_field_widget[name=line_ids] .o_data_row:nth-child(3) td[name=period_id]:contains(2026-11)",
        },
        {
            content: "The amount is their total",
            trigger: ".o_field_widget[name=amount] input:value(92,000)",
        },
        {
            content: "Pay",
            trigger: "button[name=action_pay]",
            run: "click",
        },
        {
            content: "The receipt buttons are offered",
            trigger: "button[name=action_print_receipt_roll]",
        },
        {
            trigger: ".alert-success .o_field_widget[name=payment_id]:contains(/2026/)",
        },
    ],
});
