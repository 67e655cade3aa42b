import Decimal from "decimal.js";

export interface Line {
  description: string;
  quantity: number;
  unitPrice: string;
  taxRate: string;
}

/** Net, tax and gross for an invoice, rounded per line as the tax office expects. */
export function totals(lines: Line[]): { net: string; tax: string; gross: string } {
  let net = new Decimal(0);
  let tax = new Decimal(0);
  for (const line of lines) {
    const lineNet = new Decimal(line.unitPrice).times(line.quantity).toDecimalPlaces(2);
    net = net.plus(lineNet);
    tax = tax.plus(lineNet.times(line.taxRate).toDecimalPlaces(2));
  }
  return { net: net.toFixed(2), tax: tax.toFixed(2), gross: net.plus(tax).toFixed(2) };
}
