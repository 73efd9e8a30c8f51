{#- Generic tests of the public-services domain. -#}

{#- Every row satisfies the SQL expression (rows where it is false or null fail). -#}
{% test public_services_expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
where not coalesce({{ expression }}, false)
{% endtest %}

{#- The combination of columns is unique (the model's grain). -#}
{% test public_services_unique_combination(model, combination_of_columns) %}
select {{ combination_of_columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
