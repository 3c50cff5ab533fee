// The public booking page's address, to hand to customers: copy it, open it, or print its QR code
// (downloaded as SVG for print, PNG for anything else).
import { useRef, useState } from "react";
import { QRCodeSVG } from "qrcode.react";
import { Button } from "../../../components/ui/button";
import { CopyButton } from "../../../components/ui/copy-button";
import { bookingUrl, markLinkShared } from "../api/booking-link";
import type { Business } from "../api/business";

const QR_SIZE = 176;
const PNG_SIZE = 1024;

function download(href: string, filename: string) {
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
}

function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  return new XMLSerializer().serializeToString(copy);
}

/** The QR code drawn big on a canvas, for a crisp PNG. */
function pngOf(svg: SVGSVGElement): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText(svg)], { type: "image/svg+xml" }));
  return new Promise<Blob>((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = PNG_SIZE;
      canvas.height = PNG_SIZE;
      const context = canvas.getContext("2d");
      if (!context) return reject(new Error("no canvas"));
      context.imageSmoothingEnabled = false;
      context.drawImage(image, 0, 0, PNG_SIZE, PNG_SIZE);
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("no PNG"))), "image/png");
    };
    image.onerror = () => reject(new Error("the SVG did not load"));
    image.src = url;
  }).finally(() => URL.revokeObjectURL(url));
}

export function BookingLink({ business }: { business: Business }) {
  const url = bookingUrl(business.slug);
  const qr = useRef<SVGSVGElement>(null);
  const [failed, setFailed] = useState(false);
  const shared = () => markLinkShared(business.id);
  const filename = `booking-qr-${business.slug}`;

  const downloadSvg = () => {
    if (!qr.current) return;
    const href = URL.createObjectURL(new Blob([svgText(qr.current)], { type: "image/svg+xml" }));
    download(href, `${filename}.svg`);
    URL.revokeObjectURL(href);
    shared();
  };

  const downloadPng = async () => {
    if (!qr.current) return;
    setFailed(false);
    try {
      const href = URL.createObjectURL(await pngOf(qr.current));
      download(href, `${filename}.png`);
      URL.revokeObjectURL(href);
      shared();
    } catch {
      setFailed(true);
    }
  };

  return (
    <section id="booking-link" className="card booking-link" aria-labelledby="booking-link-title" tabIndex={-1}>
      <div className="booking-link-text">
        <h2 id="booking-link-title" className="card-title">
          Your booking link
        </h2>
        <p className="muted">Customers book with you on this page. Put it on your website and social profiles, or print the QR code for your front desk.</p>
        <p className="booking-link-url">
          <a href={url} target="_blank" rel="noreferrer" onClick={shared}>
            {url}
          </a>
        </p>
        <div className="placeholder-actions">
          <CopyButton text={url} label="Copy link" variant="primary" onCopied={shared} />
          <a className="btn btn-secondary" href={url} target="_blank" rel="noreferrer" onClick={shared}>
            Open booking page<span className="sr-only"> (opens in a new tab)</span>
          </a>
        </div>
      </div>
      <figure className="booking-link-qr">
        <QRCodeSVG ref={qr} value={url} size={QR_SIZE} marginSize={2} role="img" aria-label={`QR code for ${url}`} title="QR code of your booking link" />
        <figcaption className="placeholder-actions">
          <Button size="sm" onClick={downloadSvg}>
            Download SVG
          </Button>
          <Button size="sm" onClick={() => void downloadPng()}>
            Download PNG
          </Button>
        </figcaption>
        {failed && <p className="hint">The PNG couldn't be made in this browser; download the SVG instead.</p>}
      </figure>
    </section>
  );
}
