import { ApiError } from "../kit/api-error";
import { MAX_MESSAGE_CHARS } from "../chat/chat-options";
import type { SignatureCheck } from "./webhook-signature";

/**
 * What a refused `POST /webhooks/:id` says. The callers are developers wiring a helpdesk or a script, reading
 * one answer at a time: each refusal names what is wrong and where (header name, body field), and its hint says
 * how to send it right. The codes are the API's own (api-error.ts); only the words are the webhook's, since the
 * codes' general hints speak of the widget's frames and the editor's drafts.
 */

const SIGNING =
  'Send Flowdeck-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">, keyed with the ' +
  "channel's whole signing secret (whsec_…).";
const CHAT_BODY = `{ "text": "<1–${MAX_MESSAGE_CHARS} characters>", "conversationId": "<optional, from an earlier 202>" }`;

export function noSuchChannel(): ApiError {
  return new ApiError("FD372", "No such webhook channel.", {
    hint: "Check the channel id in the URL (POST /webhooks/<channel id>, shown on the Channels page): it does not exist, was deleted or is a web-chat channel.",
  });
}

export function notJson(): ApiError {
  return new ApiError("FD301", "Send the payload as JSON (Content-Type: application/json).", {
    hint: "Send a JSON object as the body with the header Content-Type: application/json; the signature covers its raw bytes.",
  });
}

export function badSignature(
  check: Exclude<SignatureCheck, { ok: true }>,
  toleranceSeconds: number,
): ApiError {
  switch (check.reason) {
    case "missing":
      return new ApiError("FD374", "The Flowdeck-Signature header is missing: the call is not signed.", {
        hint: SIGNING,
      });
    case "malformed":
      return new ApiError(
        "FD374",
        "The Flowdeck-Signature header is not t=<unix seconds>,v1=<64 lowercase hex digits>.",
        { hint: SIGNING },
      );
    case "mismatch":
      return new ApiError("FD374", "The signature does not match.", {
        hint:
          'Sign exactly the bytes you send: HMAC-SHA256 of "<t>.<raw body>" (t as in the header), keyed with the ' +
          "channel's current signing secret (the whole whsec_… text; rotating replaces it), as hex in " +
          "Flowdeck-Signature: t=<t>,v1=<hex>.",
      });
    case "stale":
      return new ApiError(
        "FD375",
        check.future
          ? `The Flowdeck-Signature timestamp is more than ${toleranceSeconds} s in the future.`
          : `The Flowdeck-Signature timestamp is more than ${toleranceSeconds} s old.`,
        {
          hint: `Sign every call, retries too, with the current Unix time in seconds (t=…); the server accepts ±${toleranceSeconds} s, so keep the sender's clock synchronised.`,
        },
      );
  }
}

export function badMessageId(messageId: string | undefined): ApiError {
  return new ApiError(
    "FD300",
    messageId
      ? "The Flowdeck-Message-Id header must be 1–200 visible ASCII characters (no spaces)."
      : "The Flowdeck-Message-Id header is missing.",
    {
      hint: "Send a Flowdeck-Message-Id header that is unique per message (e.g. a UUID), and the same one when you retry that message: a repeat runs nothing and is answered 409 FD376.",
    },
  );
}

export function notAnObject(chat: boolean | undefined): ApiError {
  return new ApiError("FD300", "The body must be a JSON object.", {
    hint:
      chat === undefined
        ? "Send a JSON object as the body."
        : chat
          ? `This channel runs a chat flow: send ${CHAT_BODY}.`
          : "This channel runs a webhook-triggered flow: send a JSON object, which becomes the flow's input.",
  });
}

export function notPublished(): ApiError {
  return new ApiError("FD351", "The channel's workflow has no published version.", {
    hint: "Publish the workflow (or pin a published version on the channel): webhook calls run published versions only.",
  });
}

export function badChatText(): ApiError {
  return new ApiError(
    "FD373",
    `The body field text is missing, blank or over ${MAX_MESSAGE_CHARS} characters: a chat webhook needs { "text": "…" }.`,
    { hint: `Send ${CHAT_BODY}.` },
  );
}

const CONVERSATION_HINT =
  "Leave conversationId out to start a new conversation, or send one of this channel's: an id an earlier 202 answered, or a new id of your own (8–100 letters, digits, - or _).";

export function badConversationId(): ApiError {
  return new ApiError("FD300", "The body field conversationId must be 8–100 letters, digits, - or _.", {
    hint: CONVERSATION_HINT,
  });
}

export function unknownConversation(): ApiError {
  return new ApiError("FD378", "The body field conversationId names a conversation of another channel.", {
    hint: CONVERSATION_HINT,
  });
}

export function replayed(messageId: string): ApiError {
  return new ApiError("FD376", `Message ${messageId} was already received; nothing ran again.`, {
    hint: "This Flowdeck-Message-Id was taken by an earlier call, so a retry needs nothing more (a chat flow's replies go to the outbound URL); send each new message with a new id.",
  });
}
