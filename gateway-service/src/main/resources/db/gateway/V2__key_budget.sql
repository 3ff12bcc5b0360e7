-- A key's monthly spend limit in US dollars; null for none. The account's own budget is billing-service's.
alter table api_key add column monthly_budget_usd numeric(20, 8) check (monthly_budget_usd >= 0);
