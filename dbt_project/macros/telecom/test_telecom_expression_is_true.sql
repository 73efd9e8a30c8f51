{#- Generic test: every row of the model satisfies the SQL expression (rows where it is false fail). -#}
{% test telecom_expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
where not ({{ expression }})
{% endtest %}
