{#- Every row satisfies the SQL expression. NULL never makes a row pass (docs/warehouse.md, "generic tests"): a row
    fails when the expression is false or null. An expression that lets a null through says so itself
    (`producer_name is null or ...`). -#}
{% test expression_is_true(model, expression, column_name=none) %}
    select * from {{ model }} where not coalesce({{ expression }}, false)
{% endtest %}
