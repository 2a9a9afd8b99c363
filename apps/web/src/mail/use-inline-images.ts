'use client';
// Compose's pictures in the text: each pasted picture is shown at once from an object URL and
// uploaded in the background; pictures of the original (reply, forward, reopened draft) are
// fetched and uploaded again. Each is sent as a related part named by its Content-ID.
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError, proxiedFileUrl } from '@/client/graphql';
import { reuploadAttachment, uploadFile } from '@/client/uploads';
import type { CarriedInlineImage } from './compose-state';

export interface InlineImage {
  contentId: string;
  /** Where the editor shows it from (an object URL, or the original's download through this site). */
  src: string;
  status: 'uploading' | 'ready' | 'failed';
  uploadId?: string;
  error?: string;
}

let imageCounter = 0;

/** A Content-ID of our own for a pasted picture. */
function newContentId(): string {
  const random = Math.random().toString(36).slice(2, 10);
  return `image${(imageCounter += 1)}.${Date.now().toString(36)}${random}@compose`;
}

export function useInlineImages(carried: CarriedInlineImage[]) {
  const [images, setImages] = useState<InlineImage[]>([]);
  const objectUrls = useRef<string[]>([]);

  const track = useCallback((image: InlineImage, work: Promise<{ id: string }>) => {
    setImages((current) => [...current, image]);
    work.then(
      (upload) =>
        setImages((current) =>
          current.map((other) =>
            other.contentId === image.contentId ? { ...other, status: 'ready', uploadId: upload.id } : other,
          ),
        ),
      (failure: unknown) =>
        setImages((current) =>
          current.map((other) =>
            other.contentId === image.contentId
              ? { ...other, status: 'failed', error: describeError(failure) }
              : other,
          ),
        ),
    );
  }, []);

  useEffect(() => {
    for (const image of carried) {
      track(
        { contentId: image.contentId, src: proxiedFileUrl(image.downloadUrl), status: 'uploading' },
        reuploadAttachment(image.downloadUrl, image.filename),
      );
    }
  }, [carried, track]);

  useEffect(
    () => () => {
      for (const url of objectUrls.current) URL.revokeObjectURL(url);
    },
    [],
  );

  return {
    images,
    /** Starts uploading pasted pictures; answers what the editor shows for each. */
    addFiles: (files: File[]): InlineImage[] =>
      files.map((file) => {
        const src = URL.createObjectURL(file);
        objectUrls.current.push(src);
        const image: InlineImage = { contentId: newContentId(), src, status: 'uploading' };
        const extension = file.type.split('/')[1]?.replace(/[^a-z0-9]/gi, '') || 'png';
        track(image, uploadFile(file, file.name || `pasted-image.${extension}`));
        return image;
      }),
  };
}
