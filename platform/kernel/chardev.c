// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * chardev.c - /dev/kmlib, the misc device of shared mode: open, ioctl
 * (attach, wait, publish, params, stats), poll and mmap. Every argument
 * from user space is copied with its exact size and checked here or in
 * chan_user.c; unknown commands get -ENOTTY, commands before ATTACH
 * -ENOTCONN, mappings other than the three documented ones -EINVAL, a
 * writable mapping of the ring or an executable parameter area -EPERM.
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/uaccess.h>
#include <linux/ioctl.h>
#include <linux/jiffies.h>
#include <linux/sched/signal.h>
#include "chan_internal.h"

/* the portable encoding of shared.h is the kernel's own */
static_assert(KML_SHM_IOC_ATTACH ==
	      _IOWR(KML_SHM_IOC_TYPE, 1, struct kml_shm_attach));
static_assert(KML_SHM_IOC_WAIT ==
	      _IOWR(KML_SHM_IOC_TYPE, 2, struct kml_shm_wait));
static_assert(KML_SHM_IOC_PUBLISH ==
	      _IOW(KML_SHM_IOC_TYPE, 3, struct kml_shm_publish));
static_assert(KML_SHM_IOC_PARAMS ==
	      _IOWR(KML_SHM_IOC_TYPE, 4, struct kml_shm_params));
static_assert(KML_SHM_IOC_STATS ==
	      _IOR(KML_SHM_IOC_TYPE, 5, struct kml_shm_stats));
static_assert(KML_SHM_PAGE == PAGE_SIZE);

/* longest WAIT: one minute */
#define SHM_MAX_WAIT_NS (60ull * NSEC_PER_SEC)

struct shm_file {
	struct mutex lock; /* one ATTACH at a time */
	struct kml_chan *chan; /* set once by ATTACH, then constant */
	/*
	 * The parameter area: vmalloc_user memory of the channel's
	 * PAGE_ALIGN(param_bytes), allocated by the first mmap of
	 * KML_SHM_OFF_PARAM (under area_lock, which nothing else is taken
	 * under), then constant until release: a mapping holds the file, so
	 * release never frees an area still mapped.
	 */
	struct mutex area_lock;
	void *area;
};

/*
 * The attached channel, without a lock: mmap runs under mmap_lock, and
 * ATTACH may fault (taking mmap_lock) while it holds sf->lock, so mmap
 * must not take sf->lock. The pointer is set once, with release.
 */
static struct kml_chan *file_chan(struct file *f)
{
	struct shm_file *sf = f->private_data;

	return smp_load_acquire(&sf->chan);
}

static int shm_open(struct inode *inode, struct file *f)
{
	struct shm_file *sf = kzalloc(sizeof(*sf), GFP_KERNEL);

	if (!sf)
		return -ENOMEM;
	mutex_init(&sf->lock);
	mutex_init(&sf->area_lock);
	f->private_data = sf;
	return nonseekable_open(inode, f);
}

static int shm_release(struct inode *inode, struct file *f)
{
	struct shm_file *sf = f->private_data;

	if (sf->chan) {
		kml_chan_detach(sf->chan, f);
		kml_chan_put(sf->chan);
	}
	vfree(sf->area);
	kfree(sf);
	return 0;
}

static long do_attach(struct file *f, void __user *arg)
{
	struct shm_file *sf = f->private_data;
	struct kml_shm_attach a;
	struct kml_chan *c;
	long ret;

	if (copy_from_user(&a, arg, sizeof(a)))
		return -EFAULT;
	if (a.abi_version != KML_SHM_ABI_VERSION || a.flags ||
	    !memchr(a.name, 0, sizeof(a.name)) || !a.name[0])
		return -EINVAL;
	mutex_lock(&sf->lock);
	if (sf->chan) {
		ret = -EISCONN;
		goto out;
	}
	c = kml_chan_find_get(a.name);
	if (!c) {
		ret = -ENOENT;
		goto out;
	}
	ret = kml_chan_attach(c, f, &a);
	if (!ret && copy_to_user(arg, &a, sizeof(a)))
		ret = -EFAULT;
	if (ret) {
		kml_chan_detach(c, f);
		kml_chan_put(c);
		goto out;
	}
	smp_store_release(&sf->chan, c);
out:
	mutex_unlock(&sf->lock);
	return ret;
}

static bool wait_done(struct kml_chan *c)
{
	return kml_chan_available(c) || kml_chan_dead(c);
}

static long do_wait(struct kml_chan *c, void __user *arg)
{
	struct kml_shm_wait w;
	long left;

	if (copy_from_user(&w, arg, sizeof(w)))
		return -EFAULT;
	if (w.timeout_ns > SHM_MAX_WAIT_NS)
		return -EINVAL;
	if (w.timeout_ns && !wait_done(c)) {
		left = wait_event_interruptible_timeout(
		    c->wq, wait_done(c),
		    max_t(unsigned long, 1, nsecs_to_jiffies(w.timeout_ns)));
		if (left < 0)
			return -EINTR;
	}
	w.available = kml_chan_available(c);
	if (copy_to_user(arg, &w, sizeof(w)))
		return -EFAULT;
	if (w.available)
		return 0;
	if (kml_chan_dead(c))
		return -ENODEV;
	return w.timeout_ns ? -ETIMEDOUT : -EAGAIN;
}

static long shm_ioctl(struct file *f, unsigned int cmd, unsigned long uarg)
{
	void __user *arg = (void __user *)uarg;
	struct shm_file *sf = f->private_data;
	struct kml_chan *c;
	union {
		struct kml_shm_publish pub;
		struct kml_shm_params par;
		struct kml_shm_stats st;
	} u;
	long ret;

	switch (cmd) {
	case KML_SHM_IOC_ATTACH:
		return do_attach(f, arg);
	case KML_SHM_IOC_WAIT:
	case KML_SHM_IOC_PUBLISH:
	case KML_SHM_IOC_PARAMS:
	case KML_SHM_IOC_STATS:
		break;
	default:
		return -ENOTTY;
	}
	c = file_chan(f);
	if (!c)
		return -ENOTCONN;
	switch (cmd) {
	case KML_SHM_IOC_WAIT:
		return do_wait(c, arg);
	case KML_SHM_IOC_PUBLISH:
		if (copy_from_user(&u.pub, arg, sizeof(u.pub)))
			return -EFAULT;
		/* the area, if mapped, is freed only at release */
		return kml_chan_publish_user(c, &u.pub,
					     smp_load_acquire(&sf->area));
	case KML_SHM_IOC_PARAMS:
		if (copy_from_user(&u.par, arg, sizeof(u.par)))
			return -EFAULT;
		ret = kml_chan_params_user(c, &u.par);
		if (!ret && copy_to_user(arg, &u.par, sizeof(u.par)))
			ret = -EFAULT;
		return ret;
	default: /* KML_SHM_IOC_STATS */
		kml_chan_stats(c, &u.st);
		return copy_to_user(arg, &u.st, sizeof(u.st)) ? -EFAULT : 0;
	}
}

static __poll_t shm_poll(struct file *f, poll_table *pt)
{
	struct kml_chan *c = file_chan(f);
	__poll_t mask = 0;

	if (!c)
		return EPOLLERR;
	poll_wait(f, &c->wq, pt);
	if (kml_chan_available(c))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (kml_chan_dead(c))
		mask |= EPOLLHUP;
	return mask;
}

/* The file's parameter area, allocated on first use (under mmap_lock). */
static void *file_area(struct shm_file *sf, struct kml_chan *c)
{
	void *area;

	mutex_lock(&sf->area_lock);
	area = sf->area;
	if (!area) {
		area = vmalloc_user(PAGE_ALIGN(kml_chan_param_bytes(c)));
		/* publish the zeroed pages before the pointer */
		if (area)
			smp_store_release(&sf->area, area);
	}
	mutex_unlock(&sf->area_lock);
	return area;
}

static int shm_mmap(struct file *f, struct vm_area_struct *vma)
{
	struct kml_chan *c = file_chan(f);
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	size_t len = vma->vm_end - vma->vm_start;

	if (!c)
		return -ENXIO;
	if (off == KML_SHM_OFF_RING) {
		if (len != c->ring_bytes)
			return -EINVAL;
		/* the data is the kernel's: no write, now or by mprotect */
		if (vma->vm_flags & VM_WRITE)
			return -EPERM;
		vma->vm_flags &= ~VM_MAYWRITE;
		return remap_vmalloc_range(vma, c->ring, 0);
	}
	if (off == KML_SHM_OFF_CONS) {
		if (len != PAGE_SIZE)
			return -EINVAL;
		/* a private copy would never reach the kernel */
		if (!(vma->vm_flags & VM_SHARED))
			return -EINVAL;
		return remap_vmalloc_range(vma, c->cons, 0);
	}
	if (off == KML_SHM_OFF_WEIGHTS) {
		if (len != c->wview_bytes)
			return -EINVAL;
		/* the kernel's copy: no write, now or by mprotect */
		if (vma->vm_flags & VM_WRITE)
			return -EPERM;
		vma->vm_flags &= ~VM_MAYWRITE;
		return remap_vmalloc_range(vma, c->wview, 0);
	}
	if (off == KML_SHM_OFF_PARAM) {
		void *area;

		if (len != PAGE_ALIGN(kml_chan_param_bytes(c)))
			return -EINVAL;
		/* writes must reach the kernel's copy */
		if (!(vma->vm_flags & VM_SHARED))
			return -EINVAL;
		/* data, not code: no exec, now or by mprotect */
		if (vma->vm_flags & VM_EXEC)
			return -EPERM;
		vma->vm_flags &= ~VM_MAYEXEC;
		area = file_area(f->private_data, c);
		if (!area)
			return -ENOMEM;
		/* sets VM_DONTEXPAND: mremap cannot grow it */
		return remap_vmalloc_range(vma, area, 0);
	}
	return -EINVAL;
}

static const struct file_operations shm_fops = {
	.owner = THIS_MODULE,
	.open = shm_open,
	.release = shm_release,
	.unlocked_ioctl = shm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.poll = shm_poll,
	.mmap = shm_mmap,
	.llseek = no_llseek,
};

static struct miscdevice shm_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "kmlib",
	.fops = &shm_fops,
	.mode = 0600,
};

int kml_chardev_init(void)
{
	return misc_register(&shm_dev);
}

void kml_chardev_exit(void)
{
	misc_deregister(&shm_dev);
}
