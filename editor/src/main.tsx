// Browser entry: mounts the app. Everything else starts in app/app.tsx.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/app";
import "./styles/index.css";

const container = document.getElementById("root");
if (!container)
  throw new Error("FD600 #root element missing from index.html. Hint: restore editor/index.html.");
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
