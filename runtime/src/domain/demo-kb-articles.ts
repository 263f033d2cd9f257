/**
 * The demo shop's help center, written for the FAQ flow (any category) and the technical-support flow
 * (category `troubleshooting`: sign-in, passwords, the app, checkout, promo codes, pages not loading). The
 * offline provider quotes bodies as they are, so each one reads as a complete answer.
 */

export interface DemoArticle {
  readonly slug: string;
  readonly category:
    "shipping" | "orders" | "returns" | "payments" | "products" | "general" | "troubleshooting";
  readonly title: string;
  readonly body: string;
}

export const DEMO_KB_ARTICLES: readonly DemoArticle[] = [
  {
    slug: "shipping-times-and-costs",
    category: "shipping",
    title: "Shipping times and delivery costs",
    body:
      "Orders placed before 2 pm (Pacific time) on a working day leave our warehouse the same day. Standard " +
      "shipping takes 3–5 working days within the US and is free on orders over $75; below that it costs $6.95. " +
      "Express shipping takes 1–2 working days and costs $14.95. You'll get an email with your tracking link as " +
      "soon as your parcel ships. Deliveries can take a day or two longer during holidays and big sales.",
  },
  {
    slug: "international-shipping",
    category: "shipping",
    title: "International shipping, customs and duties",
    body:
      "We ship to Canada, the UK, the EU, Australia and New Zealand. International delivery usually takes 7–14 " +
      "working days and costs a flat $24.95, free on orders over $200. Customs duties and import taxes are " +
      "charged by your country on delivery and are not included in our prices. Please make sure someone can " +
      "sign for the parcel.",
  },
  {
    slug: "track-your-order",
    category: "orders",
    title: "Where is my order? Tracking your parcel",
    body:
      "When your order ships we email you a tracking link; you can also find it under Account > Orders. " +
      "Tracking can take up to 24 hours to show the first scan. If your parcel hasn't arrived by the estimated " +
      "delivery date, check the tracking page for a delivery attempt or a pickup point, ask your neighbours, " +
      "and then contact us with your order number (it looks like AO-10492). If a parcel is lost in transit we " +
      "send a replacement or refund you in full.",
  },
  {
    slug: "cancel-an-order",
    category: "orders",
    title: "How to cancel an order",
    body:
      "You can cancel an order until it ships: open Account > Orders and choose Cancel order, or ask us in " +
      "chat with your order number. Cancelled orders are refunded to the original payment method within 3–5 " +
      "working days. Once an order has shipped it can no longer be cancelled, but you can return it for free " +
      "within 30 days of delivery.",
  },
  {
    slug: "change-delivery-address",
    category: "orders",
    title: "Changing the delivery address of an order",
    body:
      "You can change the delivery address (shipping address) until your order ships. Send us the order number " +
      "and the new address with street, city, postcode and country, and we'll update it. After the parcel has " +
      "shipped we can no longer change the address, but the carrier's tracking page often lets you redirect the " +
      "parcel or pick it up at a nearby location.",
  },
  {
    slug: "returns-policy",
    category: "returns",
    title: "Returns and exchanges: our 30-day policy",
    body:
      "Something doesn't fit or isn't what you expected? You can return unworn items with their tags within 30 " +
      "days of delivery, and returns are free within the US. To start a return, open Account > Orders, choose Return items, pick a reason and print the prepaid " +
      "label, or ask us in chat. Want another size or colour? Choose Exchange instead and we'll ship the new " +
      "item as soon as the return is scanned. Worn or used items can't be returned unless they are faulty (see " +
      "our warranty).",
  },
  {
    slug: "refunds",
    category: "returns",
    title: "When will I get my refund?",
    body:
      "We refund your money as soon as your return arrives at our warehouse, usually 5–7 working days after you " +
      "send it. The refund goes back to your original payment method: cards take a further 3–5 working days to " +
      "show it, PayPal usually one day. Shipping costs are refunded when the whole order is returned or the item " +
      "was faulty. You'll get an email when the refund is issued.",
  },
  {
    slug: "reset-password",
    category: "troubleshooting",
    title: "Reset your password",
    body:
      "Forgot your password? 1. Go to Sign in and choose Forgot password. 2. Enter the email address of your " +
      "account and press Send reset link. 3. Open the email from Acme Outfitters and follow the link within 60 " +
      "minutes. 4. Choose a new password of at least 10 characters. If the reset email doesn't arrive within a " +
      "few minutes, check your spam or junk folder and make sure you used the email address you registered with.",
  },
  {
    slug: "cannot-sign-in",
    category: "troubleshooting",
    title: "I can't sign in (log in) to my account",
    body:
      "If you can't log in: 1. Check that you're signing in with the email address you registered with, and " +
      "that Caps Lock is off. 2. Reset your password with Forgot password on the sign-in page. 3. After 5 failed " +
      "attempts your account is locked for 15 minutes for your security; wait and try again. 4. Allow cookies " +
      "for our site, clear your browser's cache, or try a private window. 5. If you signed up with Google or " +
      "Apple, use the same button to sign in.",
  },
  {
    slug: "app-crashes",
    category: "troubleshooting",
    title: "The app crashes, freezes or won't open",
    body:
      "If the Acme Outfitters app crashes or freezes: 1. Update the app to the latest version from the App Store " +
      "or Google Play. 2. Close the app completely and open it again. 3. Restart your phone. 4. On Android, clear " +
      "the app's cache under Settings > Apps > Acme Outfitters > Storage. 5. Uninstall and reinstall the app; " +
      "your account, wishlist and orders are kept. The app needs iOS 16 or Android 10 or newer.",
  },
  {
    slug: "checkout-errors-and-declined-payments",
    category: "troubleshooting",
    title: "Checkout errors and declined card payments",
    body:
      "If checkout fails or your card is declined: 1. Check the card number, expiry date, security code (CVC) " +
      "and the billing address, which must match your bank's records. 2. Make sure your bank allows online " +
      "payments and approve any 3-D Secure check in your banking app. 3. Refresh the checkout page and try once " +
      "more; we never charge twice for the same order. 4. Try another card or PayPal. A declined payment is " +
      "decided by your bank, so they can tell you the exact reason.",
  },
  {
    slug: "promo-codes-and-gift-cards",
    category: "troubleshooting",
    title: "Promo code or gift card not working",
    body:
      "If a promo code or discount code is not accepted: 1. Type it exactly as written, without spaces. 2. Check " +
      "its expiry date and minimum order value. 3. Only one promo code can be used per order, and codes don't " +
      "apply to items already on sale. 4. Gift cards are entered in the separate Gift card field at checkout, not " +
      "in the promo code field. If it still doesn't work, send us the code and we'll check it.",
  },
  {
    slug: "website-not-loading",
    category: "troubleshooting",
    title: "Website pages not loading or looking broken",
    body:
      "If our website won't load, shows an error or looks broken: 1. Refresh the page. 2. Clear your browser's " +
      "cache and cookies, or open a private window. 3. Turn off ad blockers and browser extensions for our " +
      "site. 4. Update your browser or try another one (Chrome, Safari, Firefox or Edge). 5. Check your internet " +
      "connection, or switch between Wi-Fi and mobile data.",
  },
  {
    slug: "payment-methods",
    category: "payments",
    title: "Payment methods we accept",
    body:
      "We accept Visa, Mastercard, American Express and Discover credit and debit cards, PayPal, Apple Pay, " +
      "Google Pay and Acme Outfitters gift cards. You can also pay in 4 interest-free instalments with Klarna on " +
      "orders over $50. Your card is charged when you place the order. Prices are in US dollars.",
  },
  {
    slug: "warranty",
    category: "products",
    title: "Warranty and repairs",
    body:
      "All our own-brand gear has a 2-year warranty against defects in materials and workmanship, and our " +
      "hiking boots and backpacks have 5 years. If something breaks, fails or leaks, send us your order number " +
      "and a photo of the fault and we'll repair, replace or refund it. Normal wear and tear and accidental " +
      "damage are not covered, but our repair service can often fix them at cost.",
  },
  {
    slug: "size-guide",
    category: "products",
    title: "Size guide: finding the right size and fit",
    body:
      "Each product page has a size chart with chest, waist and inside-leg measurements in inches and " +
      "centimetres. Our jackets have a regular fit with room for a midlayer; if you're between sizes, choose the " +
      "larger one. Hiking boots are in EU sizes and run true to size; order half a size up if you wear thick " +
      "socks. Not the right fit? Exchanges are free within 30 days.",
  },
  {
    slug: "contact-and-opening-hours",
    category: "general",
    title: "Contact us: opening hours, phone and email",
    body:
      "Our support team is here Monday to Friday 8 am–8 pm and Saturday 9 am–5 pm (Eastern time); we're closed " +
      "on Sundays and public holidays. Chat with us here any time and ask to talk to a person if you'd like a " +
      "human, call 1-800-555-0199 during opening hours, or email help@acme-outfitters.example and we'll reply " +
      "within one working day.",
  },
];
