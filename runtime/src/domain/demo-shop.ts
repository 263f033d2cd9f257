/**
 * The demo shop's customers and orders ("Acme Outfitters", outdoor clothing and gear). Dates are relative to
 * the day of seeding, so a fresh demo always has orders in transit and recently delivered ones. The ids are
 * what the workflows' examples use (AO-10492 is the shipped order customers ask about).
 */

export interface DemoCustomer {
  readonly email: string;
  readonly name: string;
  readonly phone: string;
}

export interface DemoOrder {
  readonly id: string;
  readonly email: string;
  readonly status: "pending" | "processing" | "on_hold" | "shipped" | "delivered" | "cancelled";
  readonly items: readonly { sku: string; name: string; quantity: number; unit_price: number }[];
  readonly currency: string;
  readonly address: string;
  /** Days before the seed date the order was placed. */
  readonly placedDaysAgo: number;
  /** Delivery date relative to the seed date (negative: delivered in the past); null for cancelled. */
  readonly deliveryInDays: number | null;
  readonly tracking?: { readonly carrier: string; readonly number: string };
}

export const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  { email: "maya.lindqvist@example.com", name: "Maya Lindqvist", phone: "+1 503 555 0142" },
  { email: "daniel.okafor@example.com", name: "Daniel Okafor", phone: "+1 206 555 0178" },
  { email: "sofia.marquez@example.com", name: "Sofia Marquez", phone: "+1 720 555 0113" },
  { email: "tom.becker@example.com", name: "Tom Becker", phone: "+1 612 555 0190" },
  { email: "aisha.rahman@example.com", name: "Aisha Rahman", phone: "+1 917 555 0126" },
  { email: "liam.oconnor@example.com", name: "Liam O'Connor", phone: "+1 617 555 0155" },
  { email: "hana.sato@example.com", name: "Hana Sato", phone: "+1 415 555 0137" },
  { email: "jonas.weber@example.com", name: "Jonas Weber", phone: "+1 303 555 0164" },
];

const JACKET = { sku: "RJ-200-M", name: "Ridgeline Waterproof Jacket (M)", unit_price: 189 };
const BOOTS = { sku: "TB-410-42", name: "Trailhead Hiking Boots (EU 42)", unit_price: 149 };
const PACK = { sku: "SP-045", name: "Summit 45L Backpack", unit_price: 129 };
const BASE_LAYER = { sku: "MB-120-S", name: "Merino Base Layer Top (S)", unit_price: 69 };
const VEST = { sku: "AV-310-L", name: "Alpine Down Vest (L)", unit_price: 119 };
const POLES = { sku: "TP-002", name: "Trekking Poles (pair)", unit_price: 59 };
const BOTTLE = { sku: "IB-750", name: "Insulated Water Bottle 750 ml", unit_price: 29 };
const SOCKS = { sku: "WS-3PK-M", name: "Wool Hiking Socks (3-pack, M)", unit_price: 24 };
const PONCHO = { sku: "RP-100", name: "Packable Rain Poncho", unit_price: 35 };
const HEADLAMP = { sku: "HL-300", name: "Camp Headlamp 300 lm", unit_price: 39 };
const FLEECE = { sku: "FM-220-M", name: "Grid Fleece Midlayer (M)", unit_price: 89 };
const TENT = { sku: "TT-2P", name: "Trailside 2-Person Tent", unit_price: 279 };

const ups = (n: string) => ({ carrier: "UPS", number: `1Z999AA1${n}` });
const usps = (n: string) => ({ carrier: "USPS", number: `9400 1000 0000 ${n}` });

export const DEMO_ORDERS: readonly DemoOrder[] = [
  {
    id: "AO-10480",
    email: "maya.lindqvist@example.com",
    status: "delivered",
    items: [
      { ...BOOTS, quantity: 1 },
      { ...SOCKS, quantity: 2 },
    ],
    currency: "USD",
    address: "Maya Lindqvist, 1420 SE Alder St, Portland, OR 97214, USA",
    placedDaysAgo: 40,
    deliveryInDays: -35,
    tracking: ups("0348221017"),
  },
  {
    id: "AO-10481",
    email: "daniel.okafor@example.com",
    status: "cancelled",
    items: [{ ...VEST, quantity: 1 }],
    currency: "USD",
    address: "Daniel Okafor, 88 Pine St Apt 5B, Seattle, WA 98101, USA",
    placedDaysAgo: 30,
    deliveryInDays: null,
  },
  {
    id: "AO-10482",
    email: "sofia.marquez@example.com",
    status: "delivered",
    items: [{ ...JACKET, quantity: 1 }],
    currency: "USD",
    address: "Sofia Marquez, 2650 Larimer St, Denver, CO 80205, USA",
    placedDaysAgo: 12,
    deliveryInDays: -6,
    tracking: ups("0348221102"),
  },
  {
    id: "AO-10483",
    email: "tom.becker@example.com",
    status: "shipped",
    items: [
      { ...PACK, quantity: 1 },
      { ...BOTTLE, quantity: 2 },
    ],
    currency: "USD",
    address: "Tom Becker, 415 Nicollet Mall, Minneapolis, MN 55401, USA",
    placedDaysAgo: 4,
    deliveryInDays: 2,
    tracking: usps("1134 5521 07"),
  },
  {
    id: "AO-10484",
    email: "aisha.rahman@example.com",
    status: "processing",
    items: [
      { ...BASE_LAYER, quantity: 2 },
      { ...FLEECE, quantity: 1 },
    ],
    currency: "USD",
    address: "Aisha Rahman, 301 W 57th St Apt 12C, New York, NY 10019, USA",
    placedDaysAgo: 1,
    deliveryInDays: 5,
  },
  {
    id: "AO-10485",
    email: "liam.oconnor@example.com",
    status: "pending",
    items: [
      { ...TENT, quantity: 1 },
      { ...HEADLAMP, quantity: 2 },
    ],
    currency: "USD",
    address: "Liam O'Connor, 12 Beacon St, Boston, MA 02108, USA",
    placedDaysAgo: 0,
    deliveryInDays: 7,
  },
  {
    id: "AO-10486",
    email: "hana.sato@example.com",
    status: "delivered",
    items: [
      { ...PONCHO, quantity: 1 },
      { ...SOCKS, quantity: 1 },
    ],
    currency: "USD",
    address: "Hana Sato, 1 Ferry Building, San Francisco, CA 94111, USA",
    placedDaysAgo: 9,
    deliveryInDays: -3,
    tracking: usps("1134 5520 88"),
  },
  {
    id: "AO-10487",
    email: "jonas.weber@example.com",
    status: "shipped",
    items: [
      { ...POLES, quantity: 1 },
      { ...HEADLAMP, quantity: 1 },
    ],
    currency: "USD",
    address: "Jonas Weber, 1701 Wynkoop St, Denver, CO 80202, USA",
    placedDaysAgo: 3,
    deliveryInDays: 1,
    tracking: ups("0348221377"),
  },
  {
    id: "AO-10488",
    email: "maya.lindqvist@example.com",
    status: "processing",
    items: [
      { ...JACKET, quantity: 1 },
      { ...FLEECE, quantity: 1 },
    ],
    currency: "USD",
    address: "Maya Lindqvist, 1420 SE Alder St, Portland, OR 97214, USA",
    placedDaysAgo: 2,
    deliveryInDays: 4,
  },
  {
    id: "AO-10489",
    email: "daniel.okafor@example.com",
    status: "pending",
    items: [{ ...BOTTLE, quantity: 3 }],
    currency: "USD",
    address: "Daniel Okafor, 88 Pine St Apt 5B, Seattle, WA 98101, USA",
    placedDaysAgo: 0,
    deliveryInDays: 6,
  },
  {
    id: "AO-10490",
    email: "sofia.marquez@example.com",
    status: "delivered",
    items: [{ ...BOOTS, quantity: 1 }],
    currency: "USD",
    address: "Sofia Marquez, 2650 Larimer St, Denver, CO 80205, USA",
    placedDaysAgo: 20,
    deliveryInDays: -14,
    tracking: ups("0348220954"),
  },
  {
    id: "AO-10491",
    email: "tom.becker@example.com",
    status: "on_hold",
    items: [
      { ...VEST, quantity: 1 },
      { ...BASE_LAYER, quantity: 1 },
    ],
    currency: "USD",
    address: "Tom Becker, 415 Nicollet Mall, Minneapolis, MN 55401, USA",
    placedDaysAgo: 1,
    deliveryInDays: 6,
  },
  {
    id: "AO-10492",
    email: "daniel.okafor@example.com",
    status: "shipped",
    items: [
      { ...JACKET, quantity: 1 },
      { ...BOOTS, quantity: 1 },
    ],
    currency: "USD",
    address: "Daniel Okafor, 88 Pine St Apt 5B, Seattle, WA 98101, USA",
    placedDaysAgo: 3,
    deliveryInDays: 2,
    tracking: ups("0348221450"),
  },
  {
    id: "AO-10493",
    email: "hana.sato@example.com",
    status: "pending",
    items: [
      { ...PACK, quantity: 1 },
      { ...POLES, quantity: 1 },
    ],
    currency: "USD",
    address: "Hana Sato, 1 Ferry Building, San Francisco, CA 94111, USA",
    placedDaysAgo: 0,
    deliveryInDays: 8,
  },
];
