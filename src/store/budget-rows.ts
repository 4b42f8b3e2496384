import type { Budget } from '../core/budgets/budget.js';
import { budgetFromJson, budgetToJson } from '../core/budgets/budget-json.js';
import { StoreError } from '../core/errors.js';

/** Creates or replaces a budget: id, definition (`budgetToJson`), time of the change. */
export const putBudgetSql = (placeholders: readonly [string, string, string]) =>
  `INSERT INTO budgets (id, definition, updated_at) VALUES (${placeholders.join(', ')}) ` +
  'ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at';

/** The `id` and `definition` values `putBudgetSql` stores. */
export function budgetValues(budget: Budget): [string, string] {
  return [budget.id, budgetToJson(budget)];
}

/** Reads a `budgets` row back; a StoreError naming the store and the budget when the definition is unreadable. */
export function budgetFromRow(row: Readonly<Record<string, unknown>>, location: string): Budget {
  const id = String(row['id']);
  try {
    const budget = budgetFromJson(String(row['definition']));
    if (budget.id !== id) throw new RangeError(`its definition names budget '${budget.id}'`);
    return budget;
  } catch (error) {
    throw new StoreError(location, `stored budget '${id}' is unreadable: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
