import { Alert, Loader, Stack, Text } from '@mantine/core'
import { useEffect, useRef, useState } from 'react'
import { asAppError } from '../api/invoke'
import { base64Bytes } from '../lib/download'
import { drawPage, openPdf } from './pdfjs'
import './pdf-print.css'

/**
 * The pages of a PDF drawn into canvases (pdf.js), scaled to the width they are given: the
 * document itself, as it prints, inside the app. `data-rendered` says when every page is drawn.
 */
export function PdfPages(props: { pdfBase64: string; label: string }) {
  const box = useRef<HTMLDivElement>(null)
  const [state, setState] = useState<{ pages: number; drawn: boolean; error: string | null }>({ pages: 0, drawn: false, error: null })

  useEffect(() => {
    let cancelled = false
    const el = box.current
    if (!el) return
    el.replaceChildren()
    setState({ pages: 0, drawn: false, error: null })
    ;(async () => {
      const { pdf, close } = await openPdf(base64Bytes(props.pdfBase64))
      try {
        // Sharp on high-density screens; at most 2 device pixels per CSS pixel.
        const density = Math.min(2, Math.max(1, window.devicePixelRatio || 1))
        const cssWidth = el.clientWidth || 600
        for (let n = 1; n <= pdf.numPages && !cancelled; n++) {
          const canvas = document.createElement('canvas')
          canvas.className = 'pdf-page'
          canvas.dataset.testid = 'pdf-page'
          canvas.setAttribute('role', 'img')
          canvas.setAttribute('aria-label', `${props.label}, page ${n} of ${pdf.numPages}`)
          el.appendChild(canvas)
          const first = await pdf.getPage(n)
          const widthPt = first.getViewport({ scale: 1 }).width
          await drawPage(pdf, n, canvas, (cssWidth / widthPt) * density)
        }
        if (!cancelled) setState({ pages: pdf.numPages, drawn: true, error: null })
      } finally {
        close()
      }
    })().catch((e: unknown) => {
      if (!cancelled) setState({ pages: 0, drawn: false, error: asAppError(e).message })
    })
    return () => {
      cancelled = true
    }
  }, [props.pdfBase64, props.label])

  return (
    <Stack gap={4}>
      {state.error && (
        <Alert color="red" variant="light" title="The PDF could not be shown">
          {state.error} Download it to open it in another program.
        </Alert>
      )}
      {!state.drawn && !state.error && (
        <Text size="sm" c="dimmed">
          <Loader size="xs" mr={6} />
          Drawing the PDF…
        </Text>
      )}
      <div ref={box} className="pdf-pages" data-testid="pdf-pages" data-rendered={state.drawn ? 'true' : 'false'} data-pages={state.pages} />
    </Stack>
  )
}
