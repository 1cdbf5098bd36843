// SPDX-License-Identifier: GPL-2.0
/*
 * Device-side DMA: how the model reads and writes driver memory.
 *
 * Like a device behind an IOMMU, the model reaches only windows the driver
 * granted (see struct vhca_sim_dma_win) and translates each DMA address the
 * way the DMA layer would: dma_to_phys(), a pfn_valid() check, then a
 * kmap_local_page() of one page at a time. Going through the DMA address,
 * never a driver pointer, is what lets a swiotlb=force boot catch a missing
 * dma_sync_*() in the driver. A bad address is an error the caller turns
 * into a delivery status or a dropped EQE, never an oops.
 */

#include <linux/dma-direct.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "vhca_sim.h"

static int vhca_sim_dma_range(const struct vhca_sim_dma_win *win, size_t off,
			      size_t len, dma_addr_t *dma)
{
	if (!win->addr || !win->len)
		return -EFAULT;
	if (win->addr + win->len - 1 < win->addr)
		return -EFAULT;
	if (off > win->len || len > win->len - off)
		return -ERANGE;
	*dma = win->addr + off;
	return 0;
}

static struct page *vhca_sim_dma_page(struct vhca_sim_dev *sdev,
				      dma_addr_t dma, size_t *pg_off)
{
	phys_addr_t phys = dma_to_phys(&sdev->bdev.dev, dma);
	unsigned long pfn = PHYS_PFN(phys);

	if (!pfn_valid(pfn))
		return NULL;
	*pg_off = offset_in_page(phys);
	return pfn_to_page(pfn);
}

static int vhca_sim_dma_walk(struct vhca_sim_dev *sdev, dma_addr_t dma,
			     void *buf, size_t len, bool to_dev, bool copy)
{
	while (len) {
		size_t pg_off, chunk;
		struct page *page;
		void *va;

		page = vhca_sim_dma_page(sdev, dma, &pg_off);
		if (!page) {
			atomic64_inc(&sdev->dma_errors);
			return -EFAULT;
		}
		chunk = min_t(size_t, len, PAGE_SIZE - pg_off);
		if (copy) {
			va = kmap_local_page(page);
			if (to_dev)
				memcpy(buf, va + pg_off, chunk);
			else
				memcpy(va + pg_off, buf, chunk);
			kunmap_local(va);
			buf += chunk;
		}
		dma += chunk;
		len -= chunk;
	}
	return 0;
}

/**
 * vhca_sim_dma_check - check that a whole window is reachable
 * @sdev: the device
 * @win: the window
 *
 * Return: 0, or -EFAULT if a page of it is not memory.
 */
int vhca_sim_dma_check(struct vhca_sim_dev *sdev,
		       const struct vhca_sim_dma_win *win)
{
	dma_addr_t dma;
	int err;

	err = vhca_sim_dma_range(win, 0, win->len, &dma);
	if (err) {
		atomic64_inc(&sdev->dma_errors);
		return err;
	}
	return vhca_sim_dma_walk(sdev, dma, NULL, win->len, false, false);
}

/**
 * vhca_sim_dma_read - copy driver memory into the device
 * @sdev: the device
 * @win: granted window
 * @off: offset into @win
 * @buf: destination
 * @len: bytes
 *
 * Return: 0, -ERANGE outside @win, -EFAULT if not memory.
 */
int vhca_sim_dma_read(struct vhca_sim_dev *sdev,
		      const struct vhca_sim_dma_win *win, size_t off,
		      void *buf, size_t len)
{
	dma_addr_t dma;
	int err;

	err = vhca_sim_dma_range(win, off, len, &dma);
	if (err) {
		atomic64_inc(&sdev->dma_errors);
		return err;
	}
	return vhca_sim_dma_walk(sdev, dma, buf, len, true, true);
}

/**
 * vhca_sim_dma_write - copy device data into driver memory
 * @sdev: the device
 * @win: granted window
 * @off: offset into @win
 * @buf: source
 * @len: bytes
 *
 * Nothing is written unless the whole range is reachable.
 *
 * Return: 0, -ERANGE outside @win, -EFAULT if not memory.
 */
int vhca_sim_dma_write(struct vhca_sim_dev *sdev,
		       const struct vhca_sim_dma_win *win, size_t off,
		       const void *buf, size_t len)
{
	dma_addr_t dma;
	int err;

	err = vhca_sim_dma_range(win, off, len, &dma);
	if (err) {
		atomic64_inc(&sdev->dma_errors);
		return err;
	}
	err = vhca_sim_dma_walk(sdev, dma, NULL, len, false, false);
	if (err)
		return err;
	return vhca_sim_dma_walk(sdev, dma, (void *)buf, len, false, true);
}
