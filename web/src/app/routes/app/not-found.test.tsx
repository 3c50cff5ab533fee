import { screen } from "@testing-library/react";
import { fakeApi } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import NotFound from "./not-found";

test("an unknown address says so and leads to the dashboard", () => {
  renderScreen(<NotFound />, fakeApi(), { path: "/no-such-page", route: "*" });
  expect(screen.getByRole("heading", { name: "We couldn't find this page" })).toBeInTheDocument();
  expect(screen.getByText(/There is nothing at \/no-such-page/)).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "Go to the dashboard" })).toHaveAttribute("href", "/");
});
