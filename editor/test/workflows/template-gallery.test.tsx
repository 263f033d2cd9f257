// "Start from a template": what each card says (size, subflows, room on the plan, already there) and the toast
// after a use, which names what was created and that subflows are published first.
import { renderToStaticMarkup } from "react-dom/server";
import { Router } from "wouter";
import { describe, expect, it } from "vitest";
import type { TemplateList, WorkflowTemplate } from "../../src/api/templates-api";
import { TemplateGallery } from "../../src/workflows/template-gallery";
import {
  SUBFLOWS_FIRST,
  templateFacts,
  templateRoomProblem,
  templateUsedNotice,
} from "../../src/workflows/template-words";

const SUBFLOWS = ["faq_handling", "order_management", "lead_capture", "complaint_handling", "technical_support"];

const template = (over: Partial<WorkflowTemplate>): WorkflowTemplate => ({
  name: "faq_handling",
  title: "FAQ answers",
  description: "Answers general shop questions from the help-center articles, or offers a person",
  category: "support",
  nodeCount: 10,
  subflows: [],
  existingWorkflowId: null,
  workflowsToCreate: 1,
  ...over,
});

const router = template({
  name: "customer_support_workflow",
  title: "Customer support router",
  description: "Greets the customer and hands them to the right support flow",
  nodeCount: 15,
  subflows: SUBFLOWS,
  workflowsToCreate: 6,
});

const render = (list: TemplateList) =>
  renderToStaticMarkup(
    <Router ssrPath="/">
      <TemplateGallery list={list} error={undefined} onUse={async () => undefined} titleLevel={3} />
    </Router>,
  );

describe("template cards", () => {
  it("say how big a template is and how many subflows it brings", () => {
    expect(templateFacts(template({}))).toBe("10 nodes");
    expect(templateFacts(router)).toBe("15 nodes · includes 5 subflows");
    expect(templateFacts(template({ nodeCount: 1, subflows: ["faq_handling"] }))).toBe("1 node · includes 1 subflow");
  });

  it("say when the plan has no room before anyone clicks", () => {
    expect(templateRoomProblem(router, { plan: "free", workflowsLeft: 5 })).toBe(
      "Needs room for 6 workflows; the free plan has room for 5 more.",
    );
    expect(templateRoomProblem(template({}), { plan: "free", workflowsLeft: 0 })).toBe(
      "Needs room for 1 workflow; the free plan has no room for more.",
    );
    expect(templateRoomProblem(router, { plan: "pro", workflowsLeft: 6 })).toBeUndefined();
    expect(templateRoomProblem(router, { plan: "enterprise", workflowsLeft: null })).toBeUndefined();
  });

  it("render a use button per card, described by the plan's refusal when there is no room", () => {
    const html = render({
      plan: "free",
      workflowsLeft: 5,
      items: [router, template({}), template({ name: "lead_capture", title: "Sales lead capture", existingWorkflowId: "wf-1", workflowsToCreate: 0 })],
    });
    expect(html).toContain("Customer support router");
    expect(html).toContain("Calls FAQ answers, order_management, Sales lead capture, complaint_handling, technical_support.");
    // The router cannot fit: its button is marked disabled (still focusable) and points at the reason.
    const routerCard = html.slice(html.indexOf('data-testid="template-customer_support_workflow"'), html.indexOf('data-testid="template-faq_handling"'));
    expect(routerCard).toContain('aria-disabled="true"');
    const noteId = /<span class="fd-template-card__note" id="([^"]+)">Needs room for 6 workflows/.exec(routerCard)?.[1];
    expect(noteId).toBeDefined();
    expect(routerCard).toContain(`aria-describedby="${noteId}"`);
    const faqCard = html.slice(html.indexOf('data-testid="template-faq_handling"'), html.indexOf('data-testid="template-lead_capture"'));
    expect(faqCard).toContain("Use template");
    expect(faqCard).not.toContain("aria-disabled");
    // Already in the workspace: open it instead of a use the server would refuse.
    const leadCard = html.slice(html.indexOf('data-testid="template-lead_capture"'));
    expect(leadCard).toContain("In this workspace");
    expect(leadCard).toContain('href="/flows/wf-1"');
    expect(leadCard).not.toContain("Use template");
  });
});

describe("the toast after a use", () => {
  it("names the draft, its subflows and what it kept, and says to publish the subflows first", () => {
    const notice = templateUsedNotice(router, {
      items: [
        { id: "1", name: "customer_support_workflow" },
        ...SUBFLOWS.filter((name) => name !== "faq_handling").map((name, i) => ({ id: `s${i}`, name })),
      ],
      reused: ["faq_handling"],
    });
    expect(notice.text).toBe("Added Customer support router as the draft customer_support_workflow: publish it once it is ready.");
    expect(notice.lines).toEqual([
      "Its subflows, also drafts: order_management, lead_capture, complaint_handling, technical_support.",
      "Kept faq_handling: this workspace already had it.",
      SUBFLOWS_FIRST,
    ]);
  });

  it("is one line for a template without subflows", () => {
    const notice = templateUsedNotice(template({}), { items: [{ id: "1", name: "faq_handling" }], reused: [] });
    expect(notice).toEqual({ text: "Added FAQ answers as the draft faq_handling: publish it once it is ready.", lines: [] });
  });
});
