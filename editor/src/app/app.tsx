// The app shell: routes between the auth screens, the workflow list and the builder.
import { Route, Switch } from "wouter";
import { WorkflowBuilder } from "../builder/workflow-builder";
import { createFlowdeckApi } from "../api";

const api = createFlowdeckApi();

export function App() {
  return (
    <Switch>
      <Route path="/flows/:id">
        {(params) => <WorkflowBuilder workflowId={params.id} api={api} readOnly={false} />}
      </Route>
      <Route>
        <main>
          <h1>Flowdeck</h1>
        </main>
      </Route>
    </Switch>
  );
}
