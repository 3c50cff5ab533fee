import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FormattedMessage } from "react-intl";
import { Localized } from "./i18n";
import { LocaleProvider, LocaleSwitcher, LOCALE_KEY, pickLocale } from "./locale";

describe("the customer's language", () => {
  it("is the first of the browser's languages we speak, else English; a stored choice wins", () => {
    expect(pickLocale(["pt-BR", "de-AT", "fr"])).toBe("de");
    expect(pickLocale(["ja"])).toBe("en");
    expect(pickLocale(["de"], "es")).toBe("es");
    expect(pickLocale(["de"], "xx")).toBe("de");
  });

  it("switching shows the page in the new language and is remembered", async () => {
    const catalogues = { en: { hello: "Book now" }, de: { hello: "Jetzt buchen" }, fr: { hello: "Réserver" }, es: {} };
    render(
      <LocaleProvider initial="en">
        <LocaleSwitcher />
        <Localized catalogues={catalogues}>
          <FormattedMessage id="hello" />
        </Localized>
      </LocaleProvider>,
    );
    expect(screen.getByText("Book now")).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText("Language"), "de");
    expect(screen.getByText("Jetzt buchen")).toBeInTheDocument();
    expect(localStorage.getItem(LOCALE_KEY)).toBe("de");
    await userEvent.selectOptions(screen.getByLabelText("Language"), "es");
    expect(screen.getByText("Book now")).toBeInTheDocument(); // missing words fall back to English
  });
});
