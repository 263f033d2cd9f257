/**
 * A realistic support intent set (the shape of workflows/customer_support_workflow.yaml) and customer
 * messages that are NOT among its examples: paraphrases, other word choices, typos, off-topic chatter.
 */

export const SUPPORT_INTENTS = [
  {
    name: "faq",
    description: "General questions about the shop, its policies and products (no specific order)",
    examples: [
      "What is your return policy?",
      "How long does shipping to Canada take?",
      "Do you ship internationally?",
      "How do I know which size to order?",
      "Which payment methods do you accept?",
      "Do you sell gift cards?",
      "Are your rain jackets fully waterproof?",
      "Do you have a physical store I can visit?",
    ],
  },
  {
    name: "order",
    description: "A specific order the customer placed: status, tracking, cancel, change, return",
    examples: [
      "Where is my order?",
      "Has my order shipped yet?",
      "I want to cancel my order",
      "Can I change the delivery address on order AO-10492?",
      "My package still hasn't arrived",
      "How do I return the boots I bought last week?",
      "Can I get the tracking number for my order?",
      "I ordered the wrong size and need to send it back",
    ],
  },
  {
    name: "complaint",
    description: "The customer is unhappy with a product, a delivery or how they were treated",
    examples: [
      "This is the third time my order arrived damaged",
      "Your customer service is terrible",
      "I was charged twice and nobody answers my emails",
      "The jacket fell apart after one wash, I'm really disappointed",
      "I've been waiting three weeks for my refund",
      "The courier left my parcel in the rain and everything is ruined",
      "I'm going to report you to consumer protection",
    ],
  },
  {
    name: "technical",
    description: "Problems using the website or app: signing in, checkout, payment errors, promo codes",
    examples: [
      "I can't log in to my account",
      "The checkout page keeps showing an error",
      "My promo code isn't working",
      "The app crashes when I open my cart",
      "I never got the password reset email",
      "My card keeps getting declined at checkout",
      "The website won't load on my phone",
    ],
  },
  {
    name: "sales",
    description: "Business enquiries: bulk or team orders, corporate gifts, wholesale, partnerships, quotes",
    examples: [
      "Do you offer discounts for bulk orders?",
      "I'd like to order 50 branded fleeces for our team",
      "Can I get a quote for corporate gifts?",
      "Are you open to wholesale partnerships?",
      "I run a hiking club and we're looking for group pricing",
      "Who can I talk to about stocking your products in my store?",
    ],
  },
  {
    name: "human",
    description: "The customer explicitly asks for a human, an agent, a manager or a phone call",
    examples: [
      "I want to talk to a human",
      "Can I speak to a real person?",
      "Connect me to an agent please",
      "Let me talk to a manager",
      "Stop, I need a person, not a bot",
      "Is there a phone number I can call?",
    ],
  },
];

/** Paraphrases: none of these is an example above. */
export const SUPPORT_PARAPHRASES: ReadonlyArray<readonly [string, string]> = [
  ["Do you deliver to Australia?", "faq"],
  ["What's your policy on returns?", "faq"],
  ["Can I pay with PayPal?", "faq"],
  ["Is there a shop where I can try things on?", "faq"],
  ["Is the hiking jacket waterproof?", "faq"],
  ["Where's my package? I ordered it on Monday", "order"],
  ["Has order AO-20001 been shipped?", "order"],
  ["Please cancel the order I placed yesterday", "order"],
  ["I need to update the shipping address for my order", "order"],
  ["What's the tracking number of my parcel?", "order"],
  ["My order hasn't arrived yet", "order"],
  ["The boots arrived damaged and I'm very disappointed", "complaint"],
  ["Your service is awful, nobody ever replies to my emails", "complaint"],
  ["I was charged two times for the same order!", "complaint"],
  ["Still waiting for my refund after a month, this is ridiculous", "complaint"],
  ["I can't sign in to my account", "technical"],
  ["The discount code doesn't work at checkout", "technical"],
  ["The app keeps crashing on my iPhone", "technical"],
  ["I didn't receive the password reset email", "technical"],
  ["Your website is not loading", "technical"],
  ["Do you give a discount on bulk purchases?", "sales"],
  ["We want branded jackets for our whole team, can you send a quote?", "sales"],
  ["I'm interested in a wholesale partnership", "sales"],
  ["Do you have group pricing for clubs?", "sales"],
  ["I'd like to speak to a real human please", "human"],
  ["Can you connect me with a person?", "human"],
  ["Get me a manager", "human"],
  ["What number can I call to talk to someone?", "human"],
];

/** Misspelled versions of messages the examples cover. */
export const SUPPORT_TYPOS: ReadonlyArray<readonly [string, string]> = [
  ["wher is my ordr?", "order"],
  ["i want to cancle my order", "order"],
  ["my promo cod isnt wroking", "technical"],
  ["i cant login to my acount", "technical"],
  ["can i talk to a humam", "human"],
  ["what is youre retrun policy", "faq"],
  ["do you ofer discounts for bulk oders", "sales"],
];

/** Nothing to do with the shop. */
export const OFF_TOPIC = [
  "What's the weather like in Paris tomorrow?",
  "Tell me a joke about penguins",
  "Who won the football match last night?",
  "Recommend a good science fiction novel",
  "What is the capital of Mongolia?",
  "asdf qwerty zxcv",
];
