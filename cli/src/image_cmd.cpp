#include "image_cmd.hpp"

#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>

#include "image_remote.hpp"
#include "image_table.hpp"
#include "images/images.hpp"
#include "images/reference.hpp"
#include "query_cmds.hpp"
#include "verb_support.hpp"

namespace berth::cli {
namespace {

using namespace berth::images;

int report(const Error& e) {
    std::cerr << "Error: " << e.message() << "\n";
    return 1;
}

template <typename F>
int with_store(const StoreFlags& f, F&& body) {
    auto store =
        Store::open({f.data_root, f.storage_driver.empty() ? "overlay2" : f.storage_driver});
    if (!store) return report(store.error());
    return body(*store);
}

// Without --data-root the daemon owns the store, and with it the storage driver.
template <typename F>
int with_daemon(const StoreFlags& f, F&& body) {
    if (!f.storage_driver.empty()) {
        return report(
            Error("--storage-driver needs --data-root: berthd's store uses the "
                  "storage-driver of its daemon.json"));
    }
    auto client = connect(*f.global);
    if (!client) return report(client.error());
    return body(*client);
}

// The store directly with --data-root, berthd otherwise.
template <typename Local, typename Remote>
int dispatch(const StoreFlags& f, Local&& local, Remote&& remote) {
    if (!f.data_root.empty()) return with_store(f, local);
    return with_daemon(f, remote);
}

int print_images(const Store& s, bool quiet) {
    auto rows = store_image_rows(s);
    if (!rows) return report(rows.error());
    std::cout << render_images(*rows, quiet, std::time(nullptr));
    return 0;
}

int print_lines(const Result<std::vector<std::string>>& lines) {
    if (!lines) return report(lines.error());
    for (const auto& l : *lines) std::cout << l << "\n";
    return 0;
}

int run_import(Store& s, const ImageArgs& a) {
    auto id = import_rootfs(s, a.source, a.name, a.changes);
    if (!id) return report(id.error());
    std::cout << *id << "\n";
    return 0;
}

int run_inspect(Store& s, const ImageArgs& a) {
    int rc = 0;
    for (const auto& n : a.names) {
        auto j = inspect_image(s, n);
        if (!j) {
            rc = report(j.error());
            continue;
        }
        std::cout << *j << "\n";
    }
    return rc;
}

int run_rm(Store& s, const ImageArgs& a) {
    int rc = 0;
    for (const auto& n : a.names) {
        if (print_lines(remove_image(s, n, a.force)) != 0) rc = 1;
    }
    return rc;
}

// berth-run arguments for the snapshot; with --with-cmd also the image's env, cwd, user, command.
int run_mount(Store& s, const ImageArgs& a) {
    auto snap = prepare_snapshot(s, a.name, a.dir);
    if (!snap) return report(snap.error());
    std::vector<std::string> out = snapshot_options(*snap);
    if (a.with_cmd) {
        auto info = find_image(s, a.name);
        auto cfg = info ? image_config(s, *info) : Result<ImageConfig>(info.error());
        if (!cfg) return report(cfg.error());
        ProcessSettings p = apply_image_config(*cfg, {});
        for (const auto& e : p.env) out.insert(out.end(), {"--env", e});
        out.insert(out.end(), {"--cwd", p.working_dir});
        if (!p.user.empty()) out.insert(out.end(), {"--user", p.user});
        out.push_back("--");
        out.insert(out.end(), p.args.begin(), p.args.end());
    }
    for (size_t i = 0; i < out.size(); ++i) std::cout << (i ? " " : "") << out[i];
    std::cout << "\n";
    return 0;
}

int list_images(const StoreFlags& f, bool quiet) {
    return dispatch(
        f, [&](Store& s) { return print_images(s, quiet); },
        [&](const ApiClient& c) { return remote_images(c, quiet); });
}

void add_image_verbs(CLI::App* image, StoreFlags& f, int& rc, std::shared_ptr<ImageArgs> a) {
    auto* imp = image->add_subcommand("import", "Create an image from a root filesystem tarball");
    imp->add_option("file", a->source, "ROOTFS.tar[.gz|.zst], or - for stdin")->required();
    imp->add_option("name", a->name, "NAME[:TAG]")->required();
    imp->add_option(
        "-c,--change", a->changes,
        "Dockerfile instruction: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR");
    imp->callback([&f, &rc, a] {
        rc = dispatch(
            f, [&](Store& s) { return run_import(s, *a); },
            [&](const ApiClient& c) { return remote_import(c, *a); });
    });

    auto* load =
        image->add_subcommand("load", "Load images from a docker-archive or OCI layout tar");
    load->add_option("-i,--input", a->input, "Archive file (default: stdin)")->default_val("-");
    load->add_flag("-q,--quiet", a->quiet, "Print nothing");
    load->callback([&f, &rc, a] {
        rc = dispatch(
            f,
            [&](Store& s) {
                auto lines = load_archive(s, a->input);
                return a->quiet && lines ? 0 : print_lines(lines);
            },
            [&](const ApiClient& c) { return remote_load(c, *a); });
    });

    auto* save =
        image->add_subcommand("save", "Save images to a docker-archive (also an OCI layout)");
    save->add_option("-o,--output", a->output, "Archive file (default: stdout)")->default_val("-");
    save->add_option("names", a->names, "Images")->required();
    save->callback([&f, &rc, a] {
        rc = dispatch(
            f,
            [&](Store& s) {
                auto ok = save_archive(s, a->names, a->output);
                return ok ? 0 : report(ok.error());
            },
            [&](const ApiClient& c) { return remote_save(c, *a); });
    });

    auto* ls = image->add_subcommand("ls", "List images");
    ls->alias("list");
    ls->add_flag("-q,--quiet", a->quiet, "Only image ids");
    ls->callback([&f, &rc, a] { rc = list_images(f, a->quiet); });

    auto* insp = image->add_subcommand("inspect", "Show an image's details as JSON");
    insp->add_option("names", a->names, "Images")->required();
    insp->callback([&f, &rc, a] {
        rc = dispatch(
            f, [&](Store& s) { return run_inspect(s, *a); },
            [&](const ApiClient& c) { return remote_inspect(c, *a); });
    });

    auto* rm = image->add_subcommand("rm", "Remove images (and layers no other image uses)");
    rm->alias("remove");
    rm->add_flag("-f,--force", a->force,
                 "Remove the name even while a container uses the image (its layers stay)");
    rm->add_option("names", a->names, "Images")->required();
    rm->callback([&f, &rc, a] {
        rc = dispatch(
            f, [&](Store& s) { return run_rm(s, *a); },
            [&](const ApiClient& c) { return remote_rm(c, *a); });
    });

    auto* tag = image->add_subcommand("tag", "Give an image another name");
    tag->add_option("source", a->source, "SOURCE[:TAG]")->required();
    tag->add_option("target", a->target, "TARGET[:TAG]")->required();
    tag->callback([&f, &rc, a] {
        rc = dispatch(
            f,
            [&](Store& s) {
                auto ok = tag_image(s, a->source, a->target);
                return ok ? 0 : report(ok.error());
            },
            [&](const ApiClient& c) { return remote_tag(c, *a); });
    });

    auto* prune = image->add_subcommand("prune", "Remove untagged images and unused content");
    prune->add_flag("-f,--force", a->quiet, "Do not ask (accepted for docker compatibility)");
    prune->callback([&f, &rc] {
        rc = dispatch(
            f, [&](Store& s) { return print_lines(prune_images(s)); },
            [&](const ApiClient& c) { return remote_prune(c); });
    });

    auto* mount = image->add_subcommand(
        "mount", "Prepare a container root filesystem and print berth-run options");
    mount->add_option("name", a->name, "Image")->required();
    mount->add_option("dir", a->dir, "Container folder (upper, work, merged or rootfs go there)")
        ->required();
    mount->add_flag("--with-cmd", a->with_cmd,
                    "Also print the image's --env, --cwd, --user and -- COMMAND");
    // Local only: it prints options for berth-run on this machine, not a daemon's container.
    mount->callback([&f, &rc, a] {
        StoreFlags local = f;
        if (local.data_root.empty()) local.data_root = kDefaultDataRoot;
        rc = with_store(local, [&](Store& s) { return run_mount(s, *a); });
    });
}

}  // namespace

void add_image_commands(CLI::App& app, StoreFlags& flags, ProjectFlags& project,
                        GlobalFlags& global, int& exit_code) {
    flags.global = &global;
    app.add_option("--data-root", flags.data_root,
                   "Work on the image store in this folder directly instead of through berthd");
    app.add_option("--storage-driver", flags.storage_driver,
                   "With --data-root: overlay2 (default), or vfs (plain copies)");
    auto args = std::make_shared<ImageArgs>();
    CLI::App* image = app.add_subcommand("image", "Manage images");
    image->require_subcommand(1);
    add_image_verbs(image, flags, exit_code, args);
    auto* images = app.add_subcommand("images", "List images used by the created containers");
    images->add_flag("-q,--quiet", args->quiet, "Only display IDs");
    images->add_option("--format", args->format, "Format the output: table or json")
        ->default_val("table");
    images->add_option("SERVICE", args->names, "Services");
    images->callback([&flags, &project, &global, &exit_code, args] {
        // --storage-driver is a store flag: it takes the store's path, which refuses it without
        // --data-root.
        if (flags.data_root.empty() && flags.storage_driver.empty()) {
            VerbContext ctx{project, global, exit_code};
            auto rc = run_project_images(ctx, args->names, args->format, args->quiet);
            if (rc) {
                exit_code = *rc;
                return;
            }
        }
        if (!args->names.empty()) {
            exit_code = fail(
                "no configuration file provided: not found (services are named "
                "in a project; give -f or -p)");
            return;
        }
        exit_code = list_images(flags, args->quiet);
    });
}

}  // namespace berth::cli
